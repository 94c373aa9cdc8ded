using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace ExchangeDiag.Reporting;

/// <summary>
/// A small indented JSON writer (RFC 8259). The module writes JSON in one place only, so this
/// spares net472 the System.Text.Json package and the half-dozen assemblies it would ship with.
/// </summary>
internal sealed class JsonTextBuilder
{
    private readonly StringBuilder _json = new StringBuilder();

    // One entry per open object or array: whether it has a member yet (for the commas).
    private readonly Stack<bool> _hasMembers = new Stack<bool>();
    private bool _afterName;

    public void StartObject() => Start('{');

    public void EndObject() => End('}');

    public void StartArray() => Start('[');

    public void EndArray() => End(']');

    public void Name(string name)
    {
        NextMember();
        _json.AppendJsonString(name);
        _json.Append(": ");
        _afterName = true;
    }

    public void String(string? value)
    {
        BeforeValue();
        if (value == null)
        {
            _json.Append("null");
            return;
        }

        _json.AppendJsonString(value);
    }

    public void Number(long value)
    {
        BeforeValue();
        _json.Append(value.ToString(CultureInfo.InvariantCulture));
    }

    public void Number(double value)
    {
        BeforeValue();

        // JSON has no NaN or infinity; a number that is not one is written as null.
        _json.Append(double.IsNaN(value) || double.IsInfinity(value) ? "null" : value.ToString("R", CultureInfo.InvariantCulture));
    }

    public void Number(decimal value)
    {
        BeforeValue();
        _json.Append(value.ToString(CultureInfo.InvariantCulture));
    }

    public void Bool(bool value)
    {
        BeforeValue();
        _json.Append(value ? "true" : "false");
    }

    public void Null()
    {
        BeforeValue();
        _json.Append("null");
    }

    public override string ToString() => _json.ToString();

    private void Start(char bracket)
    {
        BeforeValue();
        _json.Append(bracket);
        _hasMembers.Push(false);
    }

    private void End(char bracket)
    {
        if (_hasMembers.Pop())
        {
            NewLine();
        }

        _json.Append(bracket);
    }

    private void BeforeValue()
    {
        if (_afterName)
        {
            _afterName = false;
            return;
        }

        NextMember();
    }

    private void NextMember()
    {
        if (_hasMembers.Count == 0)
        {
            return;
        }

        if (_hasMembers.Pop())
        {
            _json.Append(',');
        }

        _hasMembers.Push(true);
        NewLine();
    }

    private void NewLine() => _json.Append('\n').Append(' ', _hasMembers.Count * 2);

}
