using Microsoft.Extensions.DependencyInjection;

namespace Vexaa.Auth;

public static class AuthServices
{
    /// <summary>User accounts, passwords and API keys.</summary>
    public static IServiceCollection AddAuth(this IServiceCollection services) => services.AddSingleton<UserAccounts>();
}
