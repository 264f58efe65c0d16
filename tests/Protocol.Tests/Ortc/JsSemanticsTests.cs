using System.Text.Json.Nodes;
using Coordinator.Protocol.Ortc;
using Xunit;

namespace Coordinator.Protocol.Tests.Ortc;

/// <summary>The JavaScript value rules the ORTC port depends on.</summary>
public sealed class JsSemanticsTests
{
    [Fact]
    public void Absent_key_is_undefined_and_json_null_is_null()
    {
        var obj = JsValue.From(JsonNode.Parse("""{"a":null}"""));

        Assert.Equal(JsType.Null, obj.Get("a").Type);
        Assert.Equal(JsType.Undefined, obj.Get("b").Type);
        Assert.Equal("object", obj.Get("a").TypeOf);
        Assert.Equal("undefined", obj.Get("b").TypeOf);
    }

    [Theory]
    [InlineData("null", false)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("-0", false)]
    [InlineData("0.0", false)]
    [InlineData("\"\"", false)]
    [InlineData("true", true)]
    [InlineData("1", true)]
    [InlineData("\"0\"", true)]
    [InlineData("\"false\"", true)]
    [InlineData("[]", true)]
    [InlineData("{}", true)]
    public void Truthiness_follows_javascript(string json, bool truthy)
    {
        Assert.Equal(truthy, JsValue.From(JsonNode.Parse(json)).IsTruthy);
        Assert.False(JsValue.Undefined.IsTruthy);
    }

    [Theory]
    [InlineData("1", "1", true)]
    [InlineData("1", "1.0", true)]
    [InlineData("1", "1e0", true)]
    [InlineData("1", "\"1\"", false)]
    [InlineData("0", "false", false)]
    [InlineData("null", "false", false)]
    [InlineData("\"a\"", "\"A\"", false)]
    [InlineData("true", "true", true)]
    [InlineData("null", "null", true)]
    [InlineData("{}", "{}", false)]
    [InlineData("[]", "[]", false)]
    public void Strict_equality_follows_javascript(string left, string right, bool equal)
    {
        Assert.Equal(equal, JsValue.From(JsonNode.Parse(left)).StrictEquals(JsValue.From(JsonNode.Parse(right))));
    }

    [Fact]
    public void Objects_are_strictly_equal_only_to_themselves_and_undefined_only_to_undefined()
    {
        var node = JsonNode.Parse("{}");

        Assert.True(JsValue.From(node).StrictEquals(JsValue.From(node)));
        Assert.True(JsValue.Undefined.StrictEquals(JsValue.Undefined));
        Assert.False(JsValue.Undefined.StrictEquals(JsValue.From(null)));
    }

    [Fact]
    public void Reading_a_property_of_undefined_or_null_is_a_type_error_with_v8_text()
    {
        var ofUndefined = Assert.Throws<MediasoupError>(() => JsValue.Undefined.Get("codecs"));
        var ofNull = Assert.Throws<MediasoupError>(() => JsValue.From(null).Get("codecs"));

        Assert.Equal("TypeError: Cannot read properties of undefined (reading 'codecs')", ofUndefined.Reason);
        Assert.Equal("TypeError: Cannot read properties of null (reading 'codecs')", ofNull.Reason);
    }

    [Theory]
    [InlineData("5", "kind")]
    [InlineData("\"text\"", "name")]
    [InlineData("[1,2]", "codecs")]
    [InlineData("true", "uri")]
    public void Reading_a_property_of_a_primitive_or_array_is_undefined(string json, string property)
    {
        Assert.True(JsValue.From(JsonNode.Parse(json)).Get(property).IsUndefined);
    }

    [Theory]
    [InlineData("100", "100")]
    [InlineData("1.5", "1.5")]
    [InlineData("-0", "0")]
    [InlineData("1e21", "1e+21")]
    [InlineData("1e20", "100000000000000000000")]
    [InlineData("123456789012345680000", "123456789012345680000")]
    [InlineData("0.1", "0.1")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("1e-7", "1e-7")]
    [InlineData("-2.5e-9", "-2.5e-9")]
    [InlineData("1.25e+30", "1.25e+30")]
    [InlineData("1e400", "Infinity")]
    [InlineData("\"opus\"", "opus")]
    [InlineData("null", "null")]
    [InlineData("true", "true")]
    [InlineData("{}", "[object Object]")]
    [InlineData("[1,[2,3],null,\"x\"]", "1,2,3,,x")]
    [InlineData("[]", "")]
    public void Template_text_follows_javascript(string json, string expected)
    {
        Assert.Equal(expected, JsText.Of(JsValue.From(JsonNode.Parse(json))));
        Assert.Equal("undefined", JsText.Of(JsValue.Undefined));
    }

    [Fact]
    public void Template_text_of_an_object_with_a_toString_key_is_a_type_error()
    {
        var error = Assert.Throws<MediasoupError>(() => JsText.Of(JsValue.From(JsonNode.Parse("""{"toString":1}"""))));

        Assert.Equal("TypeError: Cannot convert object to primitive value", error.Reason);
    }

    [Fact]
    public void Map_set_keeps_the_first_position_and_takes_the_last_value()
    {
        var map = new JsMap();
        map.Set(Number(96), Number(101));
        map.Set(Number(97), Number(102));
        map.Set(Number(96.0), Number(103));
        map.Set(JsValue.From(JsonValue.Create("96")), Number(104));

        Assert.Equal(
            [(96.0, 103.0), (97.0, 102.0)],
            map.Entries.Where(e => e.Key.Type == JsType.Number).Select(e => (Value(e.Key), Value(e.Value))));
        Assert.Equal(3, map.Entries.Count);
        Assert.Equal(JsType.String, map.Entries[2].Key.Type);
        Assert.True(map.Get(Number(42)).IsUndefined);
    }

    private static JsValue Number(double value) => JsValue.From(JsonValue.Create(value));

    private static double Value(JsValue value) => value.TryGetNumber(out var n) ? n : double.NaN;
}
