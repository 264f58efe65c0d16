namespace Coordinator.Deployment.Tests;

/// <summary>The instructions of a Dockerfile (continuation lines joined, comments dropped), enough for structural checks.</summary>
internal sealed record Dockerfile(IReadOnlyList<Dockerfile.Instruction> Instructions)
{
    public sealed record Instruction(string Keyword, string Arguments);

    /// <summary>The instructions after the last FROM: what the shipped image is made of.</summary>
    public IReadOnlyList<Instruction> FinalStage =>
        Instructions.Skip(Instructions.Select((i, n) => (i, n)).Last(x => x.i.Keyword == "FROM").n).ToList();

    public static Dockerfile Load(string relativePath)
    {
        var instructions = new List<Instruction>();
        var pending = "";
        foreach (var raw in Repository.ReadAllText(relativePath).Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            var whole = (pending + line).Trim();
            pending = "";
            if (whole.Length > 0)
            {
                var space = whole.IndexOf(' ');
                instructions.Add(space < 0
                    ? new Instruction(whole.ToUpperInvariant(), "")
                    : new Instruction(whole[..space].ToUpperInvariant(), whole[(space + 1)..].Trim()));
            }
        }

        return new Dockerfile(instructions);
    }
}
