using System.Text;
using VirtualizationWorkbench.Grading;

namespace VirtualizationWorkbench.Grading.Tests;

/// <summary>
/// The grader reads the worker's events while the worker is still writing them. A complete line followed by the
/// first half of the next once made the grader glue the two together and lose both: a passing test was then blamed
/// for the crash of the test after it.
/// </summary>
public class GrowingLinesTests
{
    [Test]
    public void A_Complete_Line_Followed_By_Half_Of_The_Next_Is_Read_Alone_And_The_Half_Kept_Back()
    {
        var file = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"lines-{Guid.NewGuid():N}.jsonl");
        try
        {
            using var writer = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite);
            using var lines = new GrowingLines(file);
            void Append(string text)
            {
                writer.Write(Encoding.UTF8.GetBytes(text));
                writer.Flush();
            }

            Append("{\"event\":\"finish\",\"test\":\"A\"}\n{\"event\":\"sta");
            Assert.That(lines.ReadCompleted(), Is.EqualTo(new[] { "{\"event\":\"finish\",\"test\":\"A\"}" }));
            Assert.That(lines.ReadCompleted(), Is.Empty, "nothing new: the half line waits");

            Append("rt\",\"test\":\"B\"}\n");
            Assert.That(lines.ReadCompleted(), Is.EqualTo(new[] { "{\"event\":\"start\",\"test\":\"B\"}" }));

            // A character of several bytes cut between two writes is decoded whole.
            var accented = Encoding.UTF8.GetBytes("é\n");
            writer.Write(accented, 0, 1);
            writer.Flush();
            Assert.That(lines.ReadCompleted(), Is.Empty);
            writer.Write(accented, 1, accented.Length - 1);
            writer.Flush();
            Assert.That(lines.ReadCompleted(), Is.EqualTo(new[] { "é" }));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
