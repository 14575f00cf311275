namespace VirtualizationWorkbench.Partitioning.Memory.Sharing;

/// <summary>
/// How far a shared-memory partition's guest lends its pages back when the shared memory pool runs short, before
/// the firmware pages its working storage out: AIX's <c>vmo ams_loan_policy</c> (0 disables loaning, 1, the
/// default, loans free and file-cache pages). Loaning costs no I/O: a loaned page's bytes are not kept.
/// </summary>
public sealed class LoanPolicy
{
    private LoanPolicy(string name, params PageUse[] loans)
    {
        Name = name;
        Loans = loans;
    }

    /// <summary>No loaning (ams_loan_policy=0): every page the firmware takes is paged out.</summary>
    public static LoanPolicy None { get; } = new("none");

    /// <summary>Free pages only.</summary>
    public static LoanPolicy FreeOnly { get; } = new("free", PageUse.Free);

    /// <summary>Free pages, then file-cache pages (ams_loan_policy=1, AIX's default).</summary>
    public static LoanPolicy FreeAndCache { get; } = new("cache", PageUse.Free, PageUse.Cache);

    /// <summary>The three, by the names scripts and the command line use.</summary>
    public static IReadOnlyList<LoanPolicy> All { get; } = [None, FreeOnly, FreeAndCache];

    /// <summary>none, free or cache.</summary>
    public string Name { get; }

    /// <summary>The uses it lends, in the order it lends them.</summary>
    public IReadOnlyList<PageUse> Loans { get; }

    /// <summary>The policy called <paramref name="name"/>; a <see cref="PartitionError"/> naming the three if none is.</summary>
    public static LoanPolicy Named(string name) =>
        All.FirstOrDefault(p => p.Name == name) ?? throw new PartitionError($"loan policy '{name}': the policies are {string.Join(", ", All.Select(p => p.Name))}");

    public override string ToString() => Name;
}
