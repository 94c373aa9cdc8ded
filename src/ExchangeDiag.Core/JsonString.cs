using System.Globalization;
using System.Text;

namespace ExchangeDiag;

/// <summary>Writes a JSON string literal: the API request bodies and the JSON report share it.</summary>
internal static class JsonString
{
    public static StringBuilder AppendJsonString(this StringBuilder json, string value)
    {
        json.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                default:
                    // Control characters must be escaped; < > & and the JavaScript line separators
                    // are too, so the text stays inert when pasted into HTML or a script.
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029')
                    {
                        json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        json.Append(c);
                    }

                    break;
            }
        }

        return json.Append('"');
    }
}
