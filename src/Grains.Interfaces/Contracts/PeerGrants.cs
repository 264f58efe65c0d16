namespace Coordinator.Grains.Interfaces;

/// <summary>What a peer's join token allows. The grains enforce them; the gateway only carries them.</summary>
[Flags, GenerateSerializer, Alias("Coordinator.PeerGrants")]
public enum PeerGrants
{
    None = 0,

    /// <summary>May create producers.</summary>
    Publish = 1,

    /// <summary>Gets consumers for the other peers' producers.</summary>
    Subscribe = 2,

    /// <summary>May join as a spy.</summary>
    Spy = 4,

    /// <summary>May use the administration API.</summary>
    Admin = 8,

    /// <summary>
    /// May connect as a signaling frontend and open sessions for any peer in its room scope
    /// (docs/frontend-api.md). A connection grant: a peer session never carries it.
    /// </summary>
    Frontend = 16,

    /// <summary>Everything: development mode, where no token is checked.</summary>
    All = Publish | Subscribe | Spy | Admin,
}
