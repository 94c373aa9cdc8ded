using System.Collections.Generic;

namespace ExchangeEmulator;

/// <summary>The "ovhApi" section of lab.json: the emulated OVHcloud API and what it holds.</summary>
public sealed class OvhApiSpec
{
    /// <summary>The host the API answers on (the Host header without port), such as 127.0.0.120.</summary>
    public string Host { get; init; } = "";

    /// <summary>The lab's own application key, application secret and consumer key: the only ones it accepts.</summary>
    public string ApplicationKey { get; init; } = "";
    public string ApplicationSecret { get; init; } = "";
    public string ConsumerKey { get; init; } = "";

    /// <summary>The mailbox password the provider's diagnosis logs in with.</summary>
    public string Password { get; init; } = "";

    /// <summary>Allowed difference between X-Ovh-Timestamp and the server's clock.</summary>
    public int MaxClockSkewSeconds { get; init; } = 180;

    public List<OvhOrganizationSpec> Organizations { get; init; } = [];
}

public sealed class OvhOrganizationSpec
{
    public string Name { get; init; } = "";
    public List<OvhServiceSpec> Services { get; init; } = [];
}

public sealed class OvhServiceSpec
{
    public string Name { get; init; } = "";

    /// <summary>The Exchange server of the service, such as ex1.lab.test.</summary>
    public string Hostname { get; init; } = "";
    public List<string> Domains { get; init; } = [];
    public List<string> Accounts { get; init; } = [];
    public int LockoutThreshold { get; init; } = 5;
    public int LockoutDurationMinutes { get; init; } = 30;
    public int LockoutObservationWindowMinutes { get; init; } = 30;
}
