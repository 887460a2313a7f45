namespace Wijkmeldingen.Web.Fotos;

public static class FotosSetup
{
    /// <summary>Photo upload processing: <see cref="FotoOptions"/> (section <c>Fotos</c>, checked at
    /// start-up) and the stateless, thread-safe <see cref="FotoVerwerker"/>.</summary>
    public static IServiceCollection AddFotos(this IServiceCollection services)
    {
        services
            .AddOptions<FotoOptions>()
            .BindConfiguration(FotoOptions.Section)
            .Validate(
                options => options.IsGeldig(),
                "Fotos: MaxBytes, MaxAantal, MaxPixels and MaxZijde must be positive and JpegKwaliteit between 1 and 100."
            )
            .ValidateOnStart();
        services.AddSingleton<FotoVerwerker>();
        return services;
    }
}
