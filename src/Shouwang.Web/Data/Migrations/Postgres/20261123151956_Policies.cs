using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shouwang.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Policies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Policies",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    EffectiveFrom = table.Column<DateOnly>(type: "date", nullable: false),
                    RulesJson = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    IsPreset = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Policies", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PoliciesInForce",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    JurisdictionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    NodeMin = table.Column<long>(type: "bigint", nullable: false),
                    NodeMax = table.Column<long>(type: "bigint", nullable: false),
                    PolicyId = table.Column<Guid>(type: "uuid", nullable: false),
                    FromDay = table.Column<DateOnly>(type: "date", nullable: false),
                    SetBy = table.Column<Guid>(type: "uuid", nullable: true),
                    SetByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    SetAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PoliciesInForce", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PoliciesInForce_Policies_PolicyId",
                        column: x => x.PolicyId,
                        principalTable: "Policies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Policies_Code",
                table: "Policies",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PoliciesInForce_JurisdictionCode_FromDay",
                table: "PoliciesInForce",
                columns: new[] { "JurisdictionCode", "FromDay" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PoliciesInForce_NodeMin_NodeMax",
                table: "PoliciesInForce",
                columns: new[] { "NodeMin", "NodeMax" });

            migrationBuilder.CreateIndex(
                name: "IX_PoliciesInForce_PolicyId",
                table: "PoliciesInForce",
                column: "PolicyId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PoliciesInForce");

            migrationBuilder.DropTable(
                name: "Policies");
        }
    }
}
