using System;
using System.Collections.Generic;
using System.Linq;

namespace ExchangeEmulator;

/// <summary>What the lab makes an account look like to the provider's API.</summary>
public enum OvhAccountCondition { Healthy, Spam, Suspended, Expired, Unpaid, Locked }

/// <summary>
/// The mutable side of the emulated OVHcloud API: account conditions, stored diagnoses and their
/// tasks, created tickets, and the faults the tests ask for (rate limiting, outage, a lying clock).
/// One lock: the lab's traffic is tiny.
/// </summary>
public sealed class OvhApiState(OvhApiSpec spec)
{
    public sealed class Account(string email, OvhOrganizationSpec organization, OvhServiceSpec service)
    {
        public string Email { get; } = email;
        public OvhOrganizationSpec Organization { get; } = organization;
        public OvhServiceSpec Service { get; } = service;
        public OvhAccountCondition Condition { get; set; }
        public long? SpamTicketNumber { get; set; }
        public Dictionary<string, object?>? Diagnosis { get; set; }
        public int Diagnoses { get; set; }
        public bool? LastPasswordCorrect { get; set; }
    }

    public sealed class DiagnosisTask(long id, Account account)
    {
        public long Id { get; } = id;
        public Account Account { get; } = account;
        public int Polls { get; set; }
        public DateTimeOffset Created { get; } = DateTimeOffset.UtcNow;
    }

    public sealed class Domain
    {
        public bool MxIsValid { get; set; } = true;
        public bool SrvIsValid { get; set; } = true;
        public bool SpfIsValid { get; set; } = true;

        /// <summary>dkimDiagnostics.state as the control panel knows it for Exchange: active, inProgress, disabled, toConfigure, error.</summary>
        public string DkimState { get; set; } = "active";

        /// <summary>The selectors the provider made for the domain (dkimSelector), as OVHcloud names them: ovhex&lt;N&gt;-selector1 and -selector2.</summary>
        public List<string> DkimSelectors { get; set; } = ["ovhex1234-selector1", "ovhex1234-selector2"];
    }

    public object Gate { get; } = new();
    public Dictionary<string, Account> Accounts { get; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, Domain> Domains { get; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<long, DiagnosisTask> Tasks { get; } = [];
    public List<Dictionary<string, string?>> Tickets { get; } = [];
    public Dictionary<string, int> Calls { get; } = new(StringComparer.Ordinal);
    public int RateLimitedCalls { get; set; }
    public int RetryAfterSeconds { get; set; }

    /// <summary>Calls still to fail with <see cref="OutageStatus"/>; -1: every call until reset.</summary>
    public int OutageCalls { get; set; }
    public int OutageStatus { get; set; } = 503;

    /// <summary>How far GET /auth/time lies, to give a client a skewed clock.</summary>
    public long ClockOffsetSeconds { get; set; }

    /// <summary>How diagnosis tasks end: done, or error/cancelled when the tests ask.</summary>
    public string TaskOutcome { get; set; } = "done";
    public long NextId { get; set; } = 4_000_000;

    public void Reset()
    {
        lock (Gate)
        {
            Accounts.Clear();
            Domains.Clear();
            foreach (OvhOrganizationSpec organization in spec.Organizations)
            {
                foreach (OvhServiceSpec service in organization.Services)
                {
                    foreach (string email in service.Accounts)
                    {
                        Accounts[email] = new Account(email, organization, service);
                    }

                    foreach (string domain in service.Domains)
                    {
                        Domains[domain] = new Domain();
                    }
                }
            }

            Tasks.Clear();
            Tickets.Clear();
            Calls.Clear();
            RateLimitedCalls = 0;
            RetryAfterSeconds = 0;
            OutageCalls = 0;
            OutageStatus = 503;
            ClockOffsetSeconds = 0;
            TaskOutcome = "done";
        }
    }

    /// <summary>The subscription's status of a service: the worst condition of its accounts decides.</summary>
    public string ServiceStatus(OvhServiceSpec service)
    {
        IEnumerable<OvhAccountCondition> conditions = Accounts.Values.Where(a => a.Service == service).Select(a => a.Condition);
        return conditions.Contains(OvhAccountCondition.Expired) ? "expired"
            : conditions.Contains(OvhAccountCondition.Unpaid) ? "unPaid"
            : "ok";
    }

    /// <summary>The provider's diagnosis of an account in its condition, with the password given.</summary>
    public static Dictionary<string, object?> Diagnose(Account account, bool passwordCorrect)
    {
        OvhAccountCondition condition = account.Condition;
        bool suspended = condition is OvhAccountCondition.Suspended or OvhAccountCondition.Expired or OvhAccountCondition.Unpaid;
        bool locked = condition == OvhAccountCondition.Locked;
        bool spammer = condition == OvhAccountCondition.Spam;
        bool logsIn = passwordCorrect && !suspended && !locked;
        return new Dictionary<string, object?>
        {
            ["isSpammer"] = spammer,
            ["isSuspended"] = suspended,
            ["isLocked"] = locked,
            ["connectiveOWA"] = logsIn,
            ["isMxValid"] = true,
            ["isSrvValid"] = true,
            ["canSendEmail"] = logsIn && !spammer,
            ["canReceiveEmail"] = logsIn,
            ["lastCheck"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssK"),
        };
    }
}
