namespace Coordinator.Silo.Workers;

/// <summary>An RTC port range given to one worker (both ends inclusive).</summary>
public readonly record struct PortRange(int Min, int Max)
{
    public override string ToString() => $"{Min}-{Max}";
}
