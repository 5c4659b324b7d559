using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Errors;
using SeedreamPS.Core.Requests;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>The one parser for numbers given as text: never scaled by a misread separator, ambiguous text refused.</summary>
public class NumberTextTests
{
    [Theory]
    [InlineData("0.05", "0.05")]
    [InlineData("0,05", "0.05")]
    [InlineData(" $2.50 ", "2.50")]
    [InlineData("12", "12")]
    [InlineData(",5", "0.5")]
    [InlineData("0,050", "0.050")]
    [InlineData("1500", "1500")]
    [InlineData("-1", "-1")]
    public void Amounts_read_a_decimal_point_or_comma_as_decimals(string text, string expected) =>
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), NumberText.ParseDecimal(text, "X"));

    [Theory]
    [InlineData("1,000", "two ways")]
    [InlineData("1.000", "two ways")]
    [InlineData("1,000.50", "not a number")]
    [InlineData("1.000,5", "not a number")]
    [InlineData("5e3", "not a number")]
    [InlineData("five", "not a number")]
    public void Ambiguous_or_foreign_text_is_refused_with_the_rule(string text, string why)
    {
        var e = Assert.Throws<FormatException>(() => NumberText.ParseDecimal(text, "MaxCostUsd"));
        Assert.Contains(why, e.Message);
        Assert.Contains("MaxCostUsd '" + text + "'", e.Message);
    }

    [Fact]
    public void Whole_numbers_take_digits_only()
    {
        Assert.Equal(15, NumberText.ParseWhole(" 15 ", "Count"));
        Assert.Null(NumberText.ParseWhole(" ", "Count"));
        Assert.Throws<FormatException>(() => NumberText.ParseWhole("1,5", "TimeoutSec"));
        Assert.Throws<FormatException>(() => NumberText.ParseWhole("1.000", "TimeoutSec"));
    }

    [Fact]
    public void The_budget_variable_uses_the_same_parser()
    {
        Assert.Equal(0.05m, BatchOptions.ParseBudget("0,05"));
        Assert.Throws<SeedreamException>(() => BatchOptions.ParseBudget("1,000"));
        Assert.Throws<SeedreamException>(() => BatchOptions.ParseBudget("-2"));
    }
}
