using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shouwang.Domain.People;
using Shouwang.Domain.Restrictions;

namespace Shouwang.Web.Features.Restrictions;

public sealed class RestrictionConfiguration : IEntityTypeConfiguration<Restriction>
{
    public void Configure(EntityTypeBuilder<Restriction> builder)
    {
        builder.Property(r => r.Reason).HasMaxLength(500);
        builder.Property(r => r.BasisReference).HasMaxLength(100);
        builder.Property(r => r.RequestedByName).HasMaxLength(100);
        builder.Property(r => r.DecidedByName).HasMaxLength(100);
        builder.Property(r => r.DecisionNote).HasMaxLength(500);
        builder.Property(r => r.LiftedByName).HasMaxLength(100);
        builder.Property(r => r.LiftReason).HasMaxLength(500);
        builder.HasIndex(r => new { r.PersonId, r.State });
        builder.HasIndex(r => new { r.CommunityCode, r.State });
        builder.HasOne<Person>().WithMany().HasForeignKey(r => r.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
