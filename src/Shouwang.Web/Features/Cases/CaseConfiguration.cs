using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shouwang.Domain.Cases;

namespace Shouwang.Web.Features.Cases;

public sealed class CaseConfiguration : IEntityTypeConfiguration<Case>
{
    public void Configure(EntityTypeBuilder<Case> builder)
    {
        builder.ToTable("Cases");
        builder.Property(c => c.Number).HasMaxLength(20);
        builder.HasIndex(c => c.Number).IsUnique();
        builder.HasIndex(c => c.PersonId);
        // A positive single tube opens one case per member, however often its result is imported.
        builder.HasIndex(c => new { c.TubeId, c.PersonId }).IsUnique();
        builder.HasIndex(c => new { c.CommunityCode, c.GridId, c.FoundAt });
    }
}
