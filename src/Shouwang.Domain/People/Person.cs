using Shouwang.Domain.Registry;

namespace Shouwang.Domain.People;

/// <summary>户籍 / 常住 / 暂住 / 流动</summary>
public enum ResidenceType { Registered = 0, Resident = 1, Temporary = 2, Floating = 3 }

public enum RelationToHead
{
    Head = 0, Spouse = 1, Child = 2, Parent = 3, Grandchild = 4, Grandparent = 5, Sibling = 6,
    ChildInLaw = 7, OtherRelative = 8, Tenant = 9, Other = 10,
}

/// <summary>Vulnerabilities that later drive door-to-door sampling, delivery and care.</summary>
[Flags]
public enum VulnerabilityTags
{
    None = 0,
    ElderlyLivingAlone = 1 << 0,
    Disabled = 1 << 1,
    Bedridden = 1 << 2,
    PregnantOrPostpartum = 1 << 3,
    InfantOrToddler = 1 << 4,
    ChronicIllness = 1 << 5,
    LimitedMobility = 1 << 6,
    Dialysis = 1 << 7,
    LowIncome = 1 << 8,
}

/// <summary>One person is one row for life in the registry: a move changes the household, not the person.</summary>
public sealed class Person
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public DocumentType DocumentType { get; set; }
    /// <summary>Normalised (see <see cref="DocumentNumber"/>), unique per type.</summary>
    public required string DocumentNumber { get; set; }
    public required string Name { get; set; }
    public Sex Sex { get; set; }
    public DateOnly? BirthDate { get; set; }
    public string? Phone { get; set; }
    public Guid? HouseholdId { get; set; }
    public RelationToHead RelationToHead { get; set; }
    public ResidenceType ResidenceType { get; set; }
    public VulnerabilityTags Tags { get; set; }
    public int VaccinationDoses { get; set; }
    /// <summary>12-digit code of the committee the person lives in; the key of jurisdiction scope.</summary>
    public long CommunityCode { get; set; }
    public Guid? GridId { get; set; }
    public string? Notes { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>Birth date and sex come from the ID number when it has them, so they can't disagree with it.</summary>
    public void SetDocument(DocumentType type, string normalizedNumber)
    {
        DocumentType = type;
        DocumentNumber = normalizedNumber;
        if (type == DocumentType.ResidentIdCard && IdCardNumber.TryParse(normalizedNumber, out var id, out _))
        {
            BirthDate = id.Value.BirthDate;
            Sex = id.Value.Sex;
        }
    }

    public void MoveTo(Household household, RelationToHead relation)
    {
        HouseholdId = household.Id;
        CommunityCode = household.CommunityCode;
        GridId = household.GridId;
        RelationToHead = relation;
    }

    public int? AgeOn(DateOnly day)
    {
        if (BirthDate is not { } birth) return null;
        var age = day.Year - birth.Year;
        return birth.AddYears(age) > day ? age - 1 : age;
    }
}
