using MathNet.Numerics;

namespace Wijkmeldingen.Web.Domein;

/// <summary>
/// The statistics of "unusual for this place": a one-sided Poisson exceedance test per cell and the
/// Benjamini–Hochberg correction over the cells tested.
/// </summary>
public static class PoissonToets
{
    /// <summary>
    /// P(X ≥ k) for X ~ Poisson(λ): the chance of seeing at least <paramref name="k"/> reports where
    /// <paramref name="verwacht"/> were expected. Computed as the regularised lower incomplete gamma
    /// function P(k, λ) (Math.NET), which equals 1 − CDF(k − 1) without the cancellation of that
    /// subtraction, so tiny tails (1e-30) keep their precision.
    /// </summary>
    public static double Overschrijding(long k, double verwacht)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (double.IsNaN(verwacht) || verwacht < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(verwacht), verwacht, "The expected count must be zero or more.");
        }
        if (k == 0)
        {
            return 1.0;
        }
        if (verwacht == 0)
        {
            // Nothing expected and something seen: impossible under the model.
            return 0.0;
        }
        return Math.Clamp(SpecialFunctions.GammaLowerRegularized(k, verwacht), 0.0, 1.0);
    }

    /// <summary>
    /// Benjamini–Hochberg adjusted p-values (q-values), in the order given: sort the m p-values,
    /// q₍ᵢ₎ = min over k ≥ i of p₍ₖ₎ · m / k, capped at 1. A cell with q ≤ α is a discovery at false
    /// discovery rate α.
    /// </summary>
    public static double[] BenjaminiHochberg(IReadOnlyList<double> p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var m = p.Count;
        var q = new double[m];
        if (m == 0)
        {
            return q;
        }
        var volgorde = Enumerable.Range(0, m).OrderBy(i => p[i]).ThenBy(i => i).ToArray();
        var minimum = 1.0;
        for (var rang = m; rang >= 1; rang--)
        {
            var i = volgorde[rang - 1];
            minimum = Math.Min(minimum, p[i] * m / rang);
            q[i] = minimum;
        }
        return q;
    }
}
