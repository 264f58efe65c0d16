namespace Coordinator.Tools.LoadTest;

/// <summary>What one completed unit of a run is called, per mode: the table and the JSON both name it.</summary>
public static class RunUnit
{
    public static string Plural(LoadMode mode) => mode switch
    {
        LoadMode.Sequence => "sequences",
        LoadMode.JoinLarge => "joins",
        LoadMode.Idle => "idle peers joined",
        LoadMode.Storm => "storm loops",
        LoadMode.Compare or LoadMode.Frontend => "sequences",
        _ => "peer sessions",
    };

    public static string Singular(LoadMode mode) => mode switch
    {
        LoadMode.Sequence => "sequence",
        LoadMode.JoinLarge => "join",
        LoadMode.Idle => "idle peer joined",
        LoadMode.Storm => "storm loop",
        LoadMode.Compare or LoadMode.Frontend => "sequence",
        _ => "peer session",
    };
}
