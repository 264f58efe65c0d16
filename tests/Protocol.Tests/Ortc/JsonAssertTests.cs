using System.Text.Json.Nodes;
using Xunit;

namespace Coordinator.Protocol.Tests;

/// <summary>The vector tests are only as strict as <see cref="JsonAssert"/>; these pin its rules.</summary>
public sealed class JsonAssertTests
{
    [Theory]
    [InlineData("""{"a":1,"b":[1,2]}""", """{"b":[1,2],"a":1}""")]
    [InlineData("1", "1.0")]
    [InlineData("100", "1e2")]
    [InlineData("""{"a":null}""", """{"a":null}""")]
    [InlineData("[]", "[]")]
    [InlineData("12345678901234567890", "12345678901234567890")]
    public void Equal_documents_pass(string expected, string actual)
    {
        JsonAssert.Equal(JsonNode.Parse(expected), JsonNode.Parse(actual));
    }

    [Theory]
    [InlineData("1", "\"1\"", "$")]
    [InlineData("0", "false", "$")]
    [InlineData("null", "{}", "$")]
    [InlineData("""{"a":null}""", "{}", "$.a")]
    [InlineData("{}", """{"a":null}""", "$.a")]
    [InlineData("[1,2]", "[2,1]", "$[0]")]
    [InlineData("[1]", "[1,1]", "$")]
    [InlineData("""{"a":{"b":[{"c":"x"}]}}""", """{"a":{"b":[{"c":"X"}]}}""", "$.a.b[0].c")]
    [InlineData("12345678901234567890", "12345678901234567891", "$")]
    public void Different_documents_fail_at_the_first_difference(string expected, string actual, string path)
    {
        var difference = JsonAssert.FindDifference(JsonNode.Parse(expected), JsonNode.Parse(actual));

        Assert.NotNull(difference);
        Assert.StartsWith(path + ":", difference);
        Assert.ThrowsAny<Exception>(() => JsonAssert.Equal(JsonNode.Parse(expected), JsonNode.Parse(actual)));
    }

    [Fact]
    public void Shared_nodes_are_detected()
    {
        var input = JsonNode.Parse("""{"a":{"b":1}}""")!.AsObject();
        var inner = input["a"]!;

        Assert.ThrowsAny<Exception>(() => JsonAssert.SharesNoNodes(input, inner));
        JsonAssert.SharesNoNodes(input, inner.DeepClone());
    }
}
