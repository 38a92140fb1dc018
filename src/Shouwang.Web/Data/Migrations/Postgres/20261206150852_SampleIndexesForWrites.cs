using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shouwang.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SampleIndexesForWrites : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Samples_Live",
                table: "Samples");

            migrationBuilder.DropIndex(
                name: "IX_Samples_PersonId_SampledAt",
                table: "Samples");

            migrationBuilder.DropIndex(
                name: "IX_Samples_RoundId_CommunityCode_GridId",
                table: "Samples");

            migrationBuilder.DropIndex(
                name: "IX_Samples_RoundId_PersonId",
                table: "Samples");

            migrationBuilder.CreateIndex(
                name: "IX_Samples_Live",
                table: "Samples",
                columns: new[] { "PersonId", "RoundId" },
                filter: "\"RemovedAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Samples_Live",
                table: "Samples");

            migrationBuilder.CreateIndex(
                name: "IX_Samples_Live",
                table: "Samples",
                columns: new[] { "RoundId", "PersonId" },
                filter: "\"RemovedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Samples_PersonId_SampledAt",
                table: "Samples",
                columns: new[] { "PersonId", "SampledAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Samples_RoundId_CommunityCode_GridId",
                table: "Samples",
                columns: new[] { "RoundId", "CommunityCode", "GridId" });

            migrationBuilder.CreateIndex(
                name: "IX_Samples_RoundId_PersonId",
                table: "Samples",
                columns: new[] { "RoundId", "PersonId" });
        }
    }
}
