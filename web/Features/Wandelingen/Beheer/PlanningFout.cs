namespace Wijkmeldingen.Web.Features.Wandelingen.Beheer;

/// <summary>Why the walk service refused a change (<see cref="WandelingPlanning.FoutTekst"/> gives the
/// Dutch message); <see cref="Geen"/> when it did not.</summary>
public enum PlanningFout
{
    Geen,
    Onbekend,
    BuitenGemeente,
    CapaciteitTeLaag,
    AdresOnbekend,
    Status,
}
