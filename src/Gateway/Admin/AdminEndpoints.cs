namespace Coordinator.Gateway.Admin;

/// <summary>Wires the admin API (<c>/admin/…</c>) into the gateway: one call to register, one to map.</summary>
public static class AdminEndpoints
{
    public static IServiceCollection AddCoordinatorAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AdminOptions>(configuration.GetSection(AdminOptions.Section));
        return services;
    }

    /// <summary>
    /// Maps the endpoints behind <see cref="AdminAuthorization"/>, unless <c>Gateway:Admin:Enabled</c>
    /// is false. Anything else under <c>/admin</c> is a JSON 404, after the same token check, so
    /// the API's shape is not revealed to callers without a token.
    /// </summary>
    public static WebApplication MapCoordinatorAdmin(this WebApplication app)
    {
        if (!(app.Configuration.GetSection(AdminOptions.Section).Get<AdminOptions>() ?? new AdminOptions()).Enabled)
        {
            return app;
        }

        var admin = app.MapGroup("/admin").AddEndpointFilter<AdminAuthorization>();
        RoomAdminEndpoints.Map(admin);
        ClusterAdminEndpoints.Map(admin);
        admin.Map("{**rest}", () => AdminResults.NotFound("no such admin endpoint"));
        return app;
    }
}
