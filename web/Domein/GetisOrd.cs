namespace Wijkmeldingen.Web.Domein;

/// <summary>Gi* classes: hot or cold at 90, 95 or 99 % confidence (two-sided z thresholds
/// 1.645, 1.960, 2.576), or not significant.</summary>
public enum HotspotKlasse
{
    Koud99 = -3,
    Koud95 = -2,
    Koud90 = -1,
    Geen = 0,
    Heet90 = 1,
    Heet95 = 2,
    Heet99 = 3,
}

/// <summary>
/// Getis-Ord Gi* (Getis &amp; Ord 1992; Ord &amp; Getis 1995) with binary distance weights: cell j is
/// a neighbour of i when their centres lie within <c>afstand</c>, i itself included (w_ii = 1).
///   Gi* = (Σ_j w_ij x_j − X̄ Σ_j w_ij) / (S · √((n Σ_j w_ij² − (Σ_j w_ij)²) / (n − 1)))
/// with X̄ = Σx / n and S = √(Σx² / n − X̄²) over all n cells, cells with zero counts included.
/// The result is a z-score.
/// </summary>
public static class GetisOrd
{
    public const double Z90 = 1.6449,
        Z95 = 1.9600,
        Z99 = 2.5758;

    public static double[] GiStar(IReadOnlyList<(double X, double Y)> middelpunten, IReadOnlyList<double> waarden, double afstand)
    {
        ArgumentNullException.ThrowIfNull(middelpunten);
        ArgumentNullException.ThrowIfNull(waarden);
        if (middelpunten.Count != waarden.Count)
        {
            throw new ArgumentException("One value per cell.", nameof(waarden));
        }
        var n = waarden.Count;
        var z = new double[n];
        if (n < 2)
        {
            return z;
        }
        double som = 0,
            somKwadraat = 0;
        foreach (var x in waarden)
        {
            som += x;
            somKwadraat += x * x;
        }
        var gemiddelde = som / n;
        var s = Math.Sqrt(Math.Max(0, (somKwadraat / n) - (gemiddelde * gemiddelde)));
        if (s == 0)
        {
            return z;
        }
        var afstand2 = afstand * afstand;
        for (var i = 0; i < n; i++)
        {
            double lokaal = 0;
            var gewicht = 0;
            var (xi, yi) = middelpunten[i];
            for (var j = 0; j < n; j++)
            {
                var dx = middelpunten[j].X - xi;
                var dy = middelpunten[j].Y - yi;
                if ((dx * dx) + (dy * dy) <= afstand2)
                {
                    lokaal += waarden[j];
                    gewicht++;
                }
            }
            // Binary weights: Σw = Σw² = number of neighbours (self included).
            var noemer = s * Math.Sqrt(((double)n * gewicht - ((double)gewicht * gewicht)) / (n - 1));
            z[i] = noemer == 0 ? 0 : (lokaal - (gemiddelde * gewicht)) / noemer;
        }
        return z;
    }

    public static HotspotKlasse Klasse(double z) =>
        z switch
        {
            >= Z99 => HotspotKlasse.Heet99,
            >= Z95 => HotspotKlasse.Heet95,
            >= Z90 => HotspotKlasse.Heet90,
            <= -Z99 => HotspotKlasse.Koud99,
            <= -Z95 => HotspotKlasse.Koud95,
            <= -Z90 => HotspotKlasse.Koud90,
            _ => HotspotKlasse.Geen,
        };
}
