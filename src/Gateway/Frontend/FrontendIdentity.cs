namespace Coordinator.Gateway.Frontend;

/// <summary>Who a frontend connection is (its token's <c>peer</c> claim, for the log) and which rooms it may use.</summary>
internal sealed record FrontendIdentity(string Name, FrontendScope Scope);
