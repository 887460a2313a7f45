using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Domein;

/// <summary>The report life cycle's allowed transitions: pure rules, no database and no app.</summary>
public sealed class LevenscyclusTests
{
    [Fact]
    public void The_life_cycle_rules()
    {
        Assert.True(Levenscyclus.Mag("gemeld", "in-behandeling"));
        Assert.True(Levenscyclus.Mag("afgehandeld", "heropend"));
        Assert.True(Levenscyclus.Mag("in-behandeling", "in-behandeling"));
        Assert.False(Levenscyclus.Mag("afgehandeld", "afgewezen"));
        Assert.False(Levenscyclus.Mag("gemeld", "heropend"));
        Assert.False(Levenscyclus.Mag("gemeld", "ingetrokken"));
        Assert.False(Levenscyclus.Mag("ingetrokken", "heropend"));
        Assert.False(Levenscyclus.Mag("ingetrokken", "ingetrokken"));
    }
}
