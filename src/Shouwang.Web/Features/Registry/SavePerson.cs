using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.People;
using Shouwang.Web.Data;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Registry;

/// <summary>What staff enter for a person; the same record backs the API and the console form.</summary>
public sealed record PersonInput
{
    public DocumentType DocumentType { get; set; } = DocumentType.ResidentIdCard;
    /// <summary>Required for a new person; on an update, empty keeps the number on record (staff see it masked unless they reveal it).</summary>
    public string? DocumentNumber { get; set; }
    /// <summary>Empty removes the phone; on an update, the masked form of the phone on record keeps it.</summary>
    public string? Phone { get; set; }
    public string? Name { get; set; }
    public Guid? HouseholdId { get; set; }
    public RelationToHead RelationToHead { get; set; } = RelationToHead.Other;
    public ResidenceType ResidenceType { get; set; } = ResidenceType.Registered;
    public VulnerabilityTags Tags { get; set; }
    public int VaccinationDoses { get; set; }
    public string? Notes { get; set; }
}

public sealed record SavedPerson(Guid Id);

public sealed class SavePerson(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, IStringLocalizer<SharedResource> l)
{
    public const int MaxVaccinationDoses = 10;
    public const int MaxNotesLength = 500;

    public Task<Outcome<SavedPerson>> CreateAsync(PersonInput input, CancellationToken cancellationToken = default) =>
        SaveAsync(null, input, cancellationToken);

    public Task<Outcome<SavedPerson>> UpdateAsync(Guid id, PersonInput input, CancellationToken cancellationToken = default) =>
        SaveAsync(id, input, cancellationToken);

    private async Task<Outcome<SavedPerson>> SaveAsync(Guid? id, PersonInput input, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        string? document = null, name = null, phone = null;
        var keepDocument = id is not null && string.IsNullOrWhiteSpace(input.DocumentNumber);
        var keepPhone = false;
        if (!Enum.IsDefined(input.DocumentType)) errors.Add(nameof(input.DocumentType), l["Error.DocumentTypeInvalid"]);
        else if (!keepDocument && !Domain.People.DocumentNumber.TryNormalize(input.DocumentType, input.DocumentNumber, out document, out var documentError))
            errors.Add(nameof(input.DocumentNumber), l[$"Error.Document.{documentError}"]);
        if (!PersonName.TryNormalize(input.Name, out name, out var nameError))
            errors.Add(nameof(input.Name), l[$"Error.Name.{nameError}"]);
        if (id is not null && input.Phone is { } phoneText && phoneText.Contains('*')) keepPhone = true;
        else if (!string.IsNullOrWhiteSpace(input.Phone) && !PhoneNumber.TryNormalize(input.Phone, out phone))
            errors.Add(nameof(input.Phone), l["Error.PhoneInvalid"]);
        if (!Enum.IsDefined(input.RelationToHead)) errors.Add(nameof(input.RelationToHead), l["Error.ValueInvalid"]);
        if (!Enum.IsDefined(input.ResidenceType)) errors.Add(nameof(input.ResidenceType), l["Error.ValueInvalid"]);
        if ((input.Tags & ~AllTags) != 0) errors.Add(nameof(input.Tags), l["Error.ValueInvalid"]);
        if (input.VaccinationDoses is < 0 or > MaxVaccinationDoses) errors.Add(nameof(input.VaccinationDoses), l["Error.VaccinationDoses", MaxVaccinationDoses]);
        if (input.Notes?.Length > MaxNotesLength) errors.Add(nameof(input.Notes), l["Error.TooLong", MaxNotesLength]);
        if (input.HouseholdId is null) errors.Add(nameof(input.HouseholdId), l["Error.HouseholdRequired"]);
        if (errors.Any) return errors.ToOutcome<SavedPerson>();

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var household = await db.Households.FirstOrDefaultAsync(h => h.Id == input.HouseholdId, cancellationToken);
        if (household is null)
        {
            errors.Add(nameof(input.HouseholdId), l["Error.HouseholdNotFound"]);
            return errors.ToOutcome<SavedPerson>();
        }
        Person? person = null;
        if (id is { } existingId)
        {
            person = await db.Persons.FirstOrDefaultAsync(p => p.Id == existingId, cancellationToken);
            if (person is null) return new Outcome<SavedPerson>.NotFound(l["Error.PersonNotFound"]);
            if (keepDocument)
            {
                // The type alone can't change under a number that was checked for another type.
                if (input.DocumentType != person.DocumentType
                    && !Domain.People.DocumentNumber.TryNormalize(input.DocumentType, person.DocumentNumber, out _, out var kept))
                {
                    errors.Add(nameof(input.DocumentNumber), l[$"Error.Document.{kept}"]);
                    return errors.ToOutcome<SavedPerson>();
                }
                document = person.DocumentNumber;
            }
            if (keepPhone)
            {
                if (person.Phone is null || PhoneNumber.Mask(person.Phone) != input.Phone)
                {
                    errors.Add(nameof(input.Phone), l["Error.PhoneInvalid"]);
                    return errors.ToOutcome<SavedPerson>();
                }
                phone = person.Phone;
            }
        }
        var holder = await db.Persons.AsNoTracking()
            .Where(p => p.DocumentNumber == document && p.DocumentType == input.DocumentType && p.Id != id)
            .Select(p => new { p.Id, p.Name }).FirstOrDefaultAsync(cancellationToken);
        if (holder is not null) return new Outcome<SavedPerson>.Conflict(l["Error.DocumentTaken", holder.Name]);

        var now = clock.UtcNow;
        if (person is null)
        {
            person = new Person { DocumentNumber = document!, Name = name!, CreatedAt = now };
            db.Persons.Add(person);
        }
        person.SetDocument(input.DocumentType, document!);
        person.Name = name!;
        person.Phone = phone;
        person.MoveTo(household, input.RelationToHead);
        person.ResidenceType = input.ResidenceType;
        person.Tags = input.Tags;
        person.VaccinationDoses = input.VaccinationDoses;
        person.Notes = string.IsNullOrWhiteSpace(input.Notes) ? null : input.Notes.Trim();
        person.UpdatedAt = now;
        if (input.RelationToHead == RelationToHead.Head) household.HeadPersonId = person.Id;
        else if (household.HeadPersonId == person.Id) household.HeadPersonId = null;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two saves of the same document raced past the check above; the unique index decided.
            return new Outcome<SavedPerson>.Conflict(l["Error.DocumentTaken", input.DocumentNumber ?? ""]);
        }
        return new SavedPerson(person.Id);
    }

    public static readonly VulnerabilityTags AllTags = Enum.GetValues<VulnerabilityTags>().Aggregate(VulnerabilityTags.None, (a, b) => a | b);
}
