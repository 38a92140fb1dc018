using Shouwang.Domain.Jurisdictions;
using Shouwang.Domain.People;
using Shouwang.Domain.Registry;

namespace Shouwang.Web.Features.Demo;

/// <summary>The places and people of one committee, generated to look like a real roster.</summary>
public sealed record GeneratedCommunity(List<Compound> Compounds, List<Building> Buildings, List<Grid> Grids, List<Household> Households, List<Person> Persons);

/// <summary>
/// Generates compounds, buildings, grids, households and residents for committees: household sizes as in a
/// census, valid ID numbers with local area codes, and vulnerability tags at plausible rates. Deterministic per seed.
/// </summary>
public sealed class PopulationGenerator(int seed, DateTime now)
{
    private static readonly string[] CompoundWords = ["湘江", "金山", "荷塘", "桂花", "书香", "翠竹", "红旗", "建设", "和平", "幸福", "阳光", "锦绣", "枫林", "新华", "钻石", "长塘", "天鹅", "明珠", "滨江", "东方"];
    private static readonly string[] CompoundSuffixes = ["小区", "花园", "苑", "家园", "新村", "公寓"];
    private static readonly string[] LocalAreas = ["430202", "430202", "430202", "430202", "430203", "430204", "430211", "430212", "430221", "430223", "430224", "430225", "430281", "430102", "430103", "430104", "430111", "430302", "430421", "430521", "431002"];
    private static readonly string[] MobilePrefixes = ["134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "182", "183", "187", "188", "130", "131", "132", "155", "156", "185", "186", "133", "153", "173", "177", "180", "181", "189", "199"];
    private const int HouseholdsPerGrid = 350;

    private readonly Random _random = new(seed);
    private readonly HashSet<string> _documents = [];
    private readonly DateOnly _today = DateOnly.FromDateTime(now);

    public GeneratedCommunity Generate(Jurisdiction community, int targetPersons)
    {
        var code = JurisdictionCode.Parse(community.Code);
        var communityNumber = code.AsCommunityNumber;
        var village = code.IsVillage;
        var result = new GeneratedCommunity([], [], [], [], []);
        var persons = 0;
        var compoundIndex = 0;
        Grid? grid = null;
        var gridHouseholds = 0;

        while (persons < targetPersons)
        {
            var compound = new Compound
            {
                CommunityCode = communityNumber,
                Kind = village ? CompoundKind.NaturalVillage : CompoundKind.Compound,
                Name = village ? $"{ChineseNames.Surname(_random)}家{(compoundIndex % 2 == 0 ? "湾" : "冲")}{compoundIndex + 1}组"
                    : $"{CompoundWords[(compoundIndex + int.Parse(community.Code[^3..])) % CompoundWords.Length]}{CompoundSuffixes[compoundIndex % CompoundSuffixes.Length]}{(compoundIndex >= CompoundWords.Length ? (compoundIndex / CompoundWords.Length + 1).ToString() + "期" : "")}",
            };
            compoundIndex++;
            result.Compounds.Add(compound);
            var buildingCount = village ? 1 : _random.Next(6, 21);
            for (var b = 1; b <= buildingCount && persons < targetPersons; b++)
            {
                var building = village ? null : new Building { CompoundId = compound.Id, CommunityCode = communityNumber, Name = $"{b}栋" };
                if (building is not null) result.Buildings.Add(building);
                var units = village ? 1 : _random.Next(1, 4);
                var floors = village ? 1 : _random.Next(6, 19);
                var doorsPerFloor = village ? _random.Next(80, 200) : _random.Next(2, 5);
                for (var u = 1; u <= units && persons < targetPersons; u++)
                {
                    for (var f = 1; f <= floors && persons < targetPersons; f++)
                    {
                        for (var d = 1; d <= doorsPerFloor && persons < targetPersons; d++)
                        {
                            if (_random.NextDouble() < 0.08) continue; // vacant
                            if (grid is null || gridHouseholds >= HouseholdsPerGrid)
                            {
                                grid = NewGrid(communityNumber, result.Grids.Count + 1);
                                result.Grids.Add(grid);
                                gridHouseholds = 0;
                            }
                            var door = village ? $"{d}号" : $"{f}{d:00}";
                            var household = new Household
                            {
                                CommunityCode = communityNumber, GridId = grid.Id, CompoundId = compound.Id,
                                BuildingId = building?.Id, Unit = village ? null : $"{u}", DoorNumber = door,
                                Address = village ? $"{compound.Name}{door}" : Household.ComposeAddress(compound.Name, building?.Name, $"{u}", door),
                                CreatedAt = now, UpdatedAt = now,
                            };
                            result.Households.Add(household);
                            gridHouseholds++;
                            persons += AddMembers(household, result.Persons);
                        }
                    }
                }
            }
        }
        return result;
    }

    private Grid NewGrid(long community, int number)
    {
        var grid = new Grid { CommunityCode = community, Name = $"第{number}网格" };
        grid.Staff.Add(new GridStaff { GridId = grid.Id, Name = ChineseNames.FullName(_random, _random.NextDouble() < 0.4), Phone = Mobile(), Role = GridRole.Leader });
        for (var i = 0; i < _random.Next(1, 3); i++)
            grid.Staff.Add(new GridStaff { GridId = grid.Id, Name = ChineseNames.FullName(_random, _random.NextDouble() < 0.4), Phone = Mobile(), Role = GridRole.Worker });
        return grid;
    }

    private int AddMembers(Household household, List<Person> persons)
    {
        var size = Pick([15, 28, 25, 18, 9, 5]) + 1;
        var residence = (ResidenceType)Pick([70, 15, 10, 5]);
        var headMale = _random.NextDouble() < 0.72;
        var headAge = size == 1 ? _random.Next(22, 92) : _random.Next(25, 80);
        var surname = ChineseNames.Surname(_random);
        var members = new List<Person> { NewPerson(household, ChineseNames.FullName(_random, headMale, surname), headMale, headAge, RelationToHead.Head, residence) };
        if (size >= 2) members.Add(NewPerson(household, ChineseNames.FullName(_random, !headMale), !headMale, Math.Max(20, headAge + _random.Next(-5, 6)), RelationToHead.Spouse, residence));
        for (var i = 2; i < size; i++)
        {
            if (i == size - 1 && size >= 5 && headAge + 25 < 95)
            {
                var male = _random.NextDouble() < 0.4;
                members.Add(NewPerson(household, ChineseNames.FullName(_random, male, male ? surname : null), male, headAge + _random.Next(22, 31), RelationToHead.Parent, residence));
                continue;
            }
            var childAge = headAge - _random.Next(22, 36) - (i - 2) * _random.Next(1, 5);
            var childMale = _random.NextDouble() < 0.52;
            if (childAge < 0)
            {
                childAge = _random.Next(0, 4);
                members.Add(NewPerson(household, ChineseNames.FullName(_random, childMale, surname), childMale, childAge, RelationToHead.Child, residence));
            }
            else if (childAge >= 25 && _random.NextDouble() < 0.3)
            {
                members.Add(NewPerson(household, ChineseNames.FullName(_random, childMale, surname), childMale, _random.Next(0, 8), RelationToHead.Grandchild, residence));
            }
            else members.Add(NewPerson(household, ChineseNames.FullName(_random, childMale, surname), childMale, childAge, RelationToHead.Child, residence));
        }
        household.HeadPersonId = members[0].Id;
        var lowIncome = _random.NextDouble() < 0.02;
        foreach (var person in members)
        {
            var age = person.AgeOn(_today) ?? 30;
            var tags = VulnerabilityTags.None;
            if (size == 1 && age >= 70) tags |= VulnerabilityTags.ElderlyLivingAlone;
            if (age < 3) tags |= VulnerabilityTags.InfantOrToddler;
            if (_random.NextDouble() < 0.025) tags |= VulnerabilityTags.Disabled;
            if (age >= 75 && _random.NextDouble() < 0.06) tags |= VulnerabilityTags.Bedridden;
            if (age >= 60 && _random.NextDouble() < 0.15) tags |= VulnerabilityTags.ChronicIllness;
            if (age >= 70 && _random.NextDouble() < 0.08) tags |= VulnerabilityTags.LimitedMobility;
            if (person.Sex == Sex.Female && age is >= 22 and <= 38 && _random.NextDouble() < 0.04) tags |= VulnerabilityTags.PregnantOrPostpartum;
            if (_random.NextDouble() < 0.001) tags |= VulnerabilityTags.Dialysis;
            if (lowIncome) tags |= VulnerabilityTags.LowIncome;
            person.Tags = tags;
            person.VaccinationDoses = age < 3 ? 0 : Pick([8, 7, 35, 50]);
            if (age is >= 16 and <= 82 && _random.NextDouble() < 0.93) person.Phone = Mobile();
        }
        persons.AddRange(members);
        return members.Count;
    }

    private Person NewPerson(Household household, string name, bool male, int age, RelationToHead relation, ResidenceType residence)
    {
        var birth = _today.AddYears(-age).AddDays(-_random.Next(0, 365));
        string document;
        do
        {
            var sequence = _random.Next(0, 500) * 2 + (male ? 1 : 0);
            var first17 = $"{LocalAreas[_random.Next(LocalAreas.Length)]}{birth:yyyyMMdd}{sequence:000}";
            document = IdCardNumber.FromFirst17(first17).Value;
        }
        while (!_documents.Add(document));
        var person = new Person { DocumentNumber = document, Name = name, CreatedAt = household.CreatedAt, UpdatedAt = household.CreatedAt, ResidenceType = residence };
        person.SetDocument(DocumentType.ResidentIdCard, document);
        person.MoveTo(household, relation);
        return person;
    }

    private string Mobile() => MobilePrefixes[_random.Next(MobilePrefixes.Length)] + _random.Next(0, 100_000_000).ToString("00000000");

    private int Pick(int[] weights)
    {
        var roll = _random.Next(weights.Sum());
        for (var i = 0; i < weights.Length; i++)
        {
            if (roll < weights[i]) return i;
            roll -= weights[i];
        }
        return weights.Length - 1;
    }
}
