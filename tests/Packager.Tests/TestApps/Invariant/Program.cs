// What the culture makes of a number, a date, an ordering and Turkish casing (all invariant here, by build).
var culture = System.Globalization.CultureInfo.CurrentCulture;
Console.WriteLine($"[{culture.Name}]|{1234.5:N1}|{new DateTime(2000, 1, 31):D}|{string.Join(',', new[] { "b", "a", "B", "A" }.Order())}|{"i".ToUpper()}|{string.Compare("a", "B")}");
