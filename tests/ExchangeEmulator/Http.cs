using System;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace ExchangeEmulator;

/// <summary>Small response and request helpers shared by the roles.</summary>
internal static class Http
{
    // camelCase for the lab's own JSON; the Exchange JSON endpoint passes its own options.
    private static readonly JsonSerializerOptions LabJson = new(JsonSerializerDefaults.Web);

    /// <summary>IIS paths are case-insensitive, so the emulator's are too.</summary>
    public static bool PathIs(HttpContext context, string path) =>
        string.Equals(context.Request.Path.Value, path, StringComparison.OrdinalIgnoreCase);

    public static Task TextAsync(HttpContext context, int status, string text, string contentType = "text/plain")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType + "; charset=utf-8";
        return context.Response.WriteAsync(text);
    }

    public static Task JsonAsync<T>(HttpContext context, int status, T value, JsonSerializerOptions? options = null)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(value, options ?? LabJson);
    }

    public static async Task XmlAsync(HttpContext context, int status, XDocument document)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml; charset=utf-8";
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            document.Save(writer);
        }

        await context.Response.Body.WriteAsync(buffer.ToArray());
    }

    /// <summary>The user and password of a Basic Authorization header; null for none or another scheme.</summary>
    public static (string User, string Password)? BasicCredentials(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            int colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : (decoded[..colon], decoded[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static async Task<string> ReadBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
    }
}
