namespace Wijkmeldingen.Bench;

/// <summary>Benchmarks print figures; they are not tests (infra/wijk test skips this project).
///   kaart [N]                 the public map's viewport query at N reports (infra/wijk bench-kaart)
///   wijkbeeld [--rondes 50] [--url http://127.0.0.1:5080] [--zonder-opbouw]
///                             the safety picture and the hotspot grid (README, Benchmarks)</summary>
internal static class BenchStart
{
    public static async Task<int> Main(string[] args) => args switch
    {
        ["kaart", .. var rest] => await KaartBench.RunAsync(rest),
        ["wijkbeeld", .. var rest] => await WijkbeeldBench.RunAsync(rest),
        _ => Gebruik(),
    };

    private static int Gebruik()
    {
        Console.Error.WriteLine("usage: Wijkmeldingen.Bench kaart [N] | wijkbeeld [--rondes 50] [--url URL] [--zonder-opbouw]");
        return 2;
    }
}
