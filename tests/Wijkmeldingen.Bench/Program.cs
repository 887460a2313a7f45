namespace Wijkmeldingen.Bench;

/// <summary>Benchmarks print figures; they are not tests (infra/wijk test skips this project).
///   kaart [N]                 the public map's viewport query at N reports (infra/wijk bench-kaart)
///   wijkbeeld [--rondes 50] [--url http://127.0.0.1:5080] [--zonder-opbouw]
///                             the safety picture and the hotspot grid (docs/benchmarks.md)
///   lijst [--rondes 20]       the staff triage list, its count and its map per filter (docs/benchmarks.md)
///   portaal --web-dll DLL [--meldingen N] [--duur S] [--verbindingen C] [--uitvoer FILE] [--faults --pgdata DIR]
///                             the portal under wrk load beside the same SQL run directly (infra/wijk bench)</summary>
internal static class BenchStart
{
    public static async Task<int> Main(string[] args) =>
        args switch
        {
            ["kaart", .. var rest] => await KaartBench.RunAsync(rest),
            ["wijkbeeld", .. var rest] => await WijkbeeldBench.RunAsync(rest),
            ["lijst", .. var rest] => await LijstBench.RunAsync(rest),
            ["portaal", .. var rest] => await PortaalBench.RunAsync(rest),
            _ => Gebruik(),
        };

    private static int Gebruik()
    {
        Console.Error.WriteLine(
            "usage: Wijkmeldingen.Bench kaart [N] | wijkbeeld [--rondes 50] [--url URL] [--zonder-opbouw] | lijst [--rondes 20] | "
                + "portaal --web-dll DLL [--meldingen N] [--duur S] [--verbindingen C] [--uitvoer FILE] [--faults --pgdata DIR]"
        );
        return 2;
    }
}
