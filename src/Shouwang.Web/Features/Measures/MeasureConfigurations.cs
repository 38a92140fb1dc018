using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shouwang.Domain.Measures;
using Shouwang.Domain.People;
using Shouwang.Domain.Restrictions;

namespace Shouwang.Web.Features.Measures;

public sealed class ControlMeasureConfiguration : IEntityTypeConfiguration<ControlMeasure>
{
    public void Configure(EntityTypeBuilder<ControlMeasure> builder)
    {
        builder.ToTable("ControlMeasures");
        builder.Property(m => m.PolicyCode).HasMaxLength(40);
        builder.Property(m => m.TestDays).HasMaxLength(100);
        builder.Property(m => m.PlaceName).HasMaxLength(200);
        builder.Property(m => m.BasisReference).HasMaxLength(100);
        builder.Property(m => m.EndReason).HasMaxLength(500);
        builder.Property(m => m.EndedByName).HasMaxLength(100);
        builder.Property(m => m.CreatedByName).HasMaxLength(100);
        builder.Ignore(m => m.TestDayNumbers);
        builder.Ignore(m => m.TestDates);
        builder.Ignore(m => m.Days);
        // The day's lists: measures of a community (and grid) in force on a day.
        builder.HasIndex(m => new { m.CommunityCode, m.State, m.EndDay, m.StartDay });
        builder.HasIndex(m => new { m.GridId, m.State, m.EndDay });
        builder.HasIndex(m => m.PersonId);
        builder.HasIndex(m => m.CourseId);
        builder.HasOne<Person>().WithMany().HasForeignKey(m => m.PersonId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Restriction>().WithMany().HasForeignKey(m => m.CourseId).OnDelete(DeleteBehavior.Cascade);
    }
}
