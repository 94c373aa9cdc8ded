using System;
using System.Collections.Generic;

namespace ExchangeEmulator;

public enum LoginResult { Success, BadCredentials, Locked, PasswordExpired, BlockedByAccessRule, BlockedByEacRule }

/// <summary>What GET /_lab/accounts/{email} reports; State is the account's state now (configured, or set at run time).</summary>
public sealed record AccountStatus(int FailedLogins, bool Locked, int Logins, string State);

/// <summary>
/// The accounts and the provider's lockout policy, shared by every protocol: failed logins in
/// OWA, EWS and Autodiscover all count toward the same lock, as on a real directory.
/// </summary>
public sealed class AccountStore
{
    private sealed class Account(AccountSpec spec)
    {
        public AccountSpec Spec { get; } = spec;
        public Queue<DateTimeOffset> Failures { get; } = new();
        public DateTimeOffset? LockedUntil { get; set; }
        public int Logins { get; set; }

        // An administrator may disable, lock or re-enable an account while a session holds its tokens.
        public AccountState State { get; set; } = spec.State;
    }

    private readonly Dictionary<string, Account> accounts = new(StringComparer.OrdinalIgnoreCase);
    private readonly LockoutPolicy policy;
    private readonly TimeProvider clock;
    private readonly object gate = new();

    public AccountStore(LabConfig config, TimeProvider clock)
    {
        policy = config.Lockout;
        this.clock = clock;
        foreach (AccountSpec spec in config.Accounts)
        {
            accounts[spec.Email] = new Account(spec);
        }
    }

    public AccountSpec? Find(string email) => accounts.TryGetValue(email, out Account? a) ? a.Spec : null;

    /// <summary>The account's state now: as configured, unless changed through the lab control since the last reset.</summary>
    public AccountState? State(string email)
    {
        lock (gate)
        {
            return accounts.TryGetValue(email, out Account? account) ? account.State : null;
        }
    }

    /// <summary>Changes an account's state at run time (POST /_lab/accounts/{email}/state); false for an unknown account.</summary>
    public bool SetState(string email, AccountState state)
    {
        lock (gate)
        {
            if (!accounts.TryGetValue(email, out Account? account))
            {
                return false;
            }

            account.State = state;
            return true;
        }
    }

    /// <summary>One login attempt. The user may be an address or DOMAIN\address.</summary>
    public LoginResult Login(string user, string password)
    {
        string email = user[(user.LastIndexOf('\\') + 1)..];
        lock (gate)
        {
            if (!accounts.TryGetValue(email, out Account? account))
            {
                return LoginResult.BadCredentials;
            }

            DateTimeOffset now = clock.GetUtcNow();
            account.Logins++;
            if (IsLocked(account, now))
            {
                // A locked account refuses even the right password, and the attempt does not extend the lock.
                return LoginResult.Locked;
            }

            if (account.State == AccountState.Disabled)
            {
                return LoginResult.BadCredentials;
            }

            if (!string.Equals(password, account.Spec.Password, StringComparison.Ordinal))
            {
                DropOldFailures(account, now);
                account.Failures.Enqueue(now);
                if (policy.Threshold > 0 && account.Failures.Count >= policy.Threshold)
                {
                    account.LockedUntil = now.AddSeconds(policy.DurationSeconds);
                }

                // The attempt that reaches the threshold still reads as a bad password; the next one sees the lock.
                return LoginResult.BadCredentials;
            }

            // The right password resets the count even where the account state then refuses access.
            account.Failures.Clear();
            return account.State switch
            {
                AccountState.PasswordExpired => LoginResult.PasswordExpired,
                AccountState.BlockedByAccessRule => LoginResult.BlockedByAccessRule,
                AccountState.BlockedByEacRule => LoginResult.BlockedByEacRule,
                _ => LoginResult.Success,
            };
        }
    }

    public AccountStatus? Status(string email)
    {
        lock (gate)
        {
            if (!accounts.TryGetValue(email, out Account? account))
            {
                return null;
            }

            DateTimeOffset now = clock.GetUtcNow();
            bool locked = IsLocked(account, now);
            DropOldFailures(account, now);
            return new AccountStatus(account.Failures.Count, locked, account.Logins, System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(account.State.ToString()));
        }
    }

    /// <summary>Forgets counts, policy locks and states set at run time; accounts configured as "locked" stay locked.</summary>
    public void Reset()
    {
        lock (gate)
        {
            foreach (Account account in accounts.Values)
            {
                account.Failures.Clear();
                account.LockedUntil = null;
                account.Logins = 0;
                account.State = account.Spec.State;
            }
        }
    }

    private static bool IsLocked(Account account, DateTimeOffset now)
    {
        if (account.State == AccountState.Locked)
        {
            return true;
        }

        if (account.LockedUntil is { } until && until <= now)
        {
            // The lock ran out: the directory starts counting afresh.
            account.LockedUntil = null;
            account.Failures.Clear();
        }

        return account.LockedUntil is not null;
    }

    private void DropOldFailures(Account account, DateTimeOffset now)
    {
        // While locked the count stays visible (the lab reports failedLogins = threshold).
        if (account.LockedUntil is not null)
        {
            return;
        }

        DateTimeOffset windowStart = now.AddSeconds(-policy.ObservationWindowSeconds);
        while (account.Failures.Count > 0 && account.Failures.Peek() <= windowStart)
        {
            account.Failures.Dequeue();
        }
    }
}
