using Microsoft.Extensions.DependencyInjection;

namespace Vexaa.Webhooks;

public static class WebhookServices
{
    /// <summary>The outbox that records owed webhooks; every host that finishes jobs needs it.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddSettings<WebhooksOptions>(WebhooksOptions.Section, o => o.Problems());
        services.AddSingleton<WebhookOutbox>();
        return services;
    }

    /// <summary>The dispatcher that sends them; only hosts allowed to reach the internet run it.</summary>
    public static IServiceCollection AddWebhookDelivery(this IServiceCollection services) => services.AddHostedService<WebhookDispatcher>();
}
