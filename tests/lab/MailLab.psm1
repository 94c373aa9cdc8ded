# A real mail server pair (Postfix and Dovecot, from Debian's packages) on loopback, with one
# account for each state the SMTP and IMAP checks classify. Start-MailLab installs the packages
# when they are missing; everything it writes and runs lives under its WorkDir, never /etc.

Import-Module (Join-Path $PSScriptRoot 'DebianPackages.psm1')

$script:SmtpAddress = '127.0.0.110'
$script:ImapAddress = '127.0.0.111'
$script:SmtpPorts = 25, 465, 587
# IMAP, and POP3 (110 STLS, 995) for the certificate check's POP3 STARTTLS.
$script:ImapPorts = 143, 993, 110, 995
$script:Domain = 'post.lab.test'
$script:BulkAccounts = 500
# A domain whose Exchange server is down (DNS names unreachable.lab.test) but whose MX host, this one, answers.
$script:IncidentDomain = 'incident.lab.test'
$script:Password = 'Correct-Horse-1'
$script:MailUser = 'exdiagmail'
$script:Packages = 'postfix', 'dovecot-imapd', 'dovecot-lmtpd', 'dovecot-pop3d'
# A passwd-file field cannot hold a space, so Dovecot reads these two texts from its environment.
$script:Reasons = [ordered]@{
    EXDIAG_MAILLAB_EXPIRED = 'Account suspended: subscription expired'
    EXDIAG_MAILLAB_LOCKED  = 'Account locked: too many failed login attempts'
    # A refused access token, as near Exchange Online's words as Dovecot and Postfix let it be:
    # imap-login puts a reason that starts with '[' after "NO " as it is, and Postfix always
    # writes "535 5.7.8 Error: authentication failed: " before the reason.
    EXDIAG_MAILLAB_TOKEN_IMAP = '[AUTHENTICATIONFAILED] AUTHENTICATE failed.'
    EXDIAG_MAILLAB_TOKEN_SMTP = 'Authentication unsuccessful'
}
# The refusal of a token, per service (Postfix's SASL service is smtp), as a Dovecot reason field.
$script:TokenRefusal = '%{if;%s;eq;smtp;%{env:EXDIAG_MAILLAB_TOKEN_SMTP};%{env:EXDIAG_MAILLAB_TOKEN_IMAP}}'
# Microsoft 365 accounts of the lab identity provider (the Exchange emulator, issue 16): mailboxes
# here like the others, reached with its access tokens (XOAUTH2, OAUTHBEARER) or the lab password.
# Their states (disabled, mfa...) are the IdP's business: it issues no token for them.
$script:CloudAccounts = 'cloud', 'cloud-disabled', 'cloud-expired', 'cloud-locked', 'cloud-ca', 'cloud-mfa'
# What the IdP's access tokens carry (tests/lab contract): Dovecot checks the issuer, that one of
# the audiences is in aud, and the signature with the key that the token's azp, alg and kid name.
$script:IdpTenantId = '5f1b0c36-9a8e-4b0a-9d7c-1a2b3c4d5e6f'
$script:IdpIssuer = "https://login.lab.test/$($script:IdpTenantId)/v2.0"
$script:IdpKeyId = 'lab-idp-1'
$script:IdpAudiences = 'https://outlook.office.com', 'https://outlook.office365.com'
# The permission a token needs per Dovecot service (Postfix's SASL service is smtp), as Exchange
# Online asks: a delegated token names it in scp (space-separated) and its upn is the mailbox; an
# app-only one in roles (Dovecot joins an array with tabs) and may open any mailbox here. Dovecot's
# own scope check reads a "scope" claim that Entra ID does not send, so each pattern is matched against
# "<service>/<claim>" instead; it holds no space (pass_attrs splits on them) and no colon (%{if} would
# then see one argument only), hence [^A-Za-z0-9.] for a separator.
$script:TokenGrants = @(
    # First, so that a delegated token meets no passdb whose username claim it lacks: Dovecot calls
    # that an internal failure, and a login then ends in "Temporary authentication failure". tid is in
    # every token, and username_format is applied to both the login name and the claim: a constant
    # makes any mailbox match.
    [pscustomobject]@{ Name = 'app'; UsernameAttribute = 'tid'; UsernameFormat = 'app-only'; Claim = 'roles'; Permissions = [ordered]@{ imap = 'IMAP.AccessAsApp'; pop3 = 'POP.AccessAsApp'; smtp = 'SMTP.SendAsApp' } }
    [pscustomobject]@{ Name = 'delegated'; UsernameAttribute = 'upn'; UsernameFormat = '%Lu'; Claim = 'scp'; Permissions = [ordered]@{ imap = 'IMAP.AccessAsUser.All'; pop3 = 'POP.AccessAsUser.All'; smtp = 'SMTP.Send' } }
)
# The lab apps (exchange-lab.json "identity"), unless Start-MailLab is given others: a token whose azp
# is one of them is checked with the key filed under that client id, one without azp with "default".
$script:IdpClientIds = '9c4d0d3e-6b55-4f5a-8a53-1e2f3a4b5c6d', '0b3a1f52-6c7d-4e8f-9a0b-1c2d3e4f5a6b', 'e7a5c2d1-3b4f-4a6e-8c9d-0e1f2a3b4c5d'

function Assert-Root([string] $Why) {
    if ((id -u) -ne '0') { throw "The mail lab needs root: $Why" }
}

function Install-MailServer {
    # Postfix's installer would otherwise ask what kind of mail server this is.
    Install-DebianPackage -Package $script:Packages -Path '/usr/sbin/postfix', '/usr/sbin/dovecot', '/usr/lib/dovecot/imap', '/usr/lib/dovecot/lmtp', '/usr/lib/dovecot/pop3' `
        -DebconfSelection 'postfix postfix/main_mailer_type select No configuration'
}

function Initialize-MailUser {
    # Dovecot refuses to run mail processes as root: the mailboxes belong to a system user.
    & getent passwd $script:MailUser | Out-Null
    if ($LASTEXITCODE -ne 0) {
        Assert-Root "the system user '$($script:MailUser)' does not exist."
        & useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin $script:MailUser
        if ($LASTEXITCODE -ne 0) { throw "useradd could not create '$($script:MailUser)'." }
    }
    [pscustomobject]@{ Uid = [int](& id -u $script:MailUser); Gid = [int](& id -g $script:MailUser) }
}

function Assert-PortsFree {
    $taken = foreach ($endpoint in @($script:SmtpPorts | ForEach-Object { "$($script:SmtpAddress):$_" }) +
        @($script:ImapPorts | ForEach-Object { "$($script:ImapAddress):$_" })) {
        $address, $port = $endpoint -split ':'
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Parse($address), [int]$port)
        try { $listener.Start() }
        catch {
            $holders = ((& ss -ltnpH "sport = :$port" 2>$null) -replace '\s+', ' ') -join '; '
            "port $port on $address is already in use$(if ($holders) { " ($holders)" })"
        }
        finally { $listener.Stop() }
    }
    if ($taken) { throw "The mail lab cannot start: $($taken -join ', ')." }
}

function Get-ProcessTree([int] $RootPid) {
    # The daemon and every process below it, so a stop can wait for all of them.
    $children = @{}
    foreach ($line in & ps -e -o pid=,ppid=) {
        $id, $parent = -split $line
        $children[[int]$parent] += @([int]$id)
    }
    $tree = [Collections.Generic.List[int]]::new()
    $pending = [Collections.Generic.Queue[int]]::new()
    $pending.Enqueue($RootPid)
    while ($pending.Count) {
        $next = $pending.Dequeue()
        if (-not (Test-ProcessRunning $next)) { continue }
        $tree.Add($next)
        foreach ($child in $children[$next]) { $pending.Enqueue($child) }
    }
    $tree
}

function Test-ProcessRunning([int] $Id) {
    # A zombie has exited: it only waits for init to reap it.
    $stat = Get-Content "/proc/$Id/stat" -Raw -ErrorAction Ignore
    $stat -and $stat.Substring($stat.LastIndexOf(')') + 2, 1) -ne 'Z'
}

function Get-MasterPid([string] $PidFile) {
    if (-not (Test-Path $PidFile)) { return $null }
    # Postfix's master holds a lock on its pid file that .NET refuses to read through.
    $text = (& cat $PidFile 2>$null) -join ' '
    if ($text -match '\d+') { [int]$Matches[0] }
}

function Stop-MailDaemons([string] $WorkDir) {
    $postfixPid = Get-MasterPid (Join-Path $WorkDir 'spool/pid/master.pid')
    $dovecotPid = Get-MasterPid (Join-Path $WorkDir 'run/master.pid')
    $processes = @(foreach ($id in $postfixPid, $dovecotPid) { if ($id) { Get-ProcessTree $id } })
    if ($postfixPid) { & postfix -c (Join-Path $WorkDir 'postfix') stop 2>&1 | Out-Null }
    if ($dovecotPid) { & dovecot -c (Join-Path $WorkDir 'dovecot/dovecot.conf') stop 2>&1 | Out-Null }

    $deadline = [DateTime]::UtcNow.AddSeconds(15)
    while (($left = @($processes | Where-Object { Test-ProcessRunning $_ })) -and [DateTime]::UtcNow -lt $deadline) {
        Start-Sleep -Milliseconds 100
    }
    foreach ($id in $left) { & kill -9 $id 2>$null }
}

function Wait-MailPort {
    param([string] $Address, [int] $Port, [switch] $Tls, [string] $Expect, [datetime] $Deadline, [string] $Log)
    while ($true) {
        $client = [Net.Sockets.TcpClient]::new()
        try {
            $client.ReceiveTimeout = 2000
            $client.Connect($Address, $Port)
            [IO.Stream] $stream = $client.GetStream()
            if ($Tls) {
                # Readiness only: the tests validate the certificate themselves.
                $ssl = [Net.Security.SslStream]::new($stream, $false, { $true })
                $ssl.AuthenticateAsClient('mail.lab.test')
                $stream = $ssl
            }
            $line = [IO.StreamReader]::new($stream).ReadLine()
            if ($line -like "$Expect*") { return }
        }
        catch { }
        finally { $client.Dispose() }
        if ([DateTime]::UtcNow -gt $Deadline) {
            throw "The mail lab did not answer on $($Address):$Port in time:`n$(Get-Content $Log -Tail 30 -ErrorAction Ignore | Out-String)"
        }
        Start-Sleep -Milliseconds 200
    }
}

function Invoke-Daemon([string] $LogFile, [string[]] $Command) {
    # A daemon keeps the standard handles it inherits: give it a file, never this process's pipes.
    & /bin/sh -c 'log=$1; shift; exec "$@" </dev/null >>"$log" 2>&1' sh $LogFile @Command
}

function Get-PostfixConfig([string] $WorkDir) {
    $w = $WorkDir
    $main = @"
# Postfix for ExchangeDiag's mail lab. Every path is under $w.
compatibility_level = 3.6
queue_directory = $w/spool
data_directory = $w/postfix-data
maillog_file = $w/log/postfix.log
maillog_file_prefixes = $w/log
myhostname = mail.lab.test
mydomain = lab.test
myorigin = `$myhostname
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.1/32
biff = no
append_dot_mydomain = no
readme_directory = no
disable_vrfy_command = yes
# Nothing is ever delivered off this machine, and nothing needs DNS.
alias_maps =
alias_database =
local_recipient_maps =
local_transport = error:5.1.1 local delivery is disabled in the mail lab
default_transport = error:5.7.1 the mail lab delivers nothing outside $($script:Domain)
relay_transport = `$default_transport
relay_domains =
relayhost =
smtp_dns_support_level = disabled
smtpd_peername_lookup = no
virtual_mailbox_domains = $($script:Domain), $($script:IncidentDomain)
virtual_mailbox_maps = texthash:$w/postfix/mailboxes
virtual_transport = lmtp:unix:$w/run/lmtp
transport_maps = texthash:$w/postfix/transport
# slow@ is deferred once and retried 60-70 s later by the queue manager, or at once on "postqueue -f".
queue_run_delay = 10s
minimal_backoff_time = 60s
maximal_backoff_time = 60s
smtpd_tls_chain_files = $w/tls/mail.key, $w/tls/mail.pem
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtpd_tls_received_header = yes
smtp_tls_security_level = none
smtpd_sasl_type = dovecot
smtpd_sasl_path = $w/run/auth-postfix
smtpd_sasl_auth_enable = no
smtpd_sasl_security_options = noanonymous
smtpd_tls_auth_only = yes
smtpd_sasl_authenticated_header = no
smtpd_relay_restrictions = reject_unauth_destination
smtpd_recipient_restrictions = check_recipient_access texthash:$w/postfix/recipient_access
"@

    # Submission (587, STARTTLS) and SMTPS (465, TLS from the first byte) share their rules.
    $submission = @(
        '  -o smtpd_sasl_auth_enable=yes'
        '  -o smtpd_tls_security_level=encrypt'
        '  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject'
        "  -o smtpd_sender_login_maps=texthash:$w/postfix/senders"
        "  -o { smtpd_sender_restrictions = reject_authenticated_sender_login_mismatch, check_sender_access texthash:$w/postfix/sender_access }"
    ) -join "`n"
    $master = @"
# service type  private unpriv  chroot  wakeup  maxproc command + args
$($script:SmtpAddress):25 inet n - n - - smtpd
$($script:SmtpAddress):587 inet n - n - - smtpd
  -o syslog_name=postfix/submission
$submission
$($script:SmtpAddress):465 inet n - n - - smtpd
  -o syslog_name=postfix/smtps
  -o smtpd_tls_wrappermode=yes
$submission
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
slow      unix  -       n       n       -       1       pipe
  flags=DRh user=$($script:MailUser) argv=$w/slow-delivery.sh `${queue_id} `${sender} `${recipient}
"@
    @{ Main = $main; Master = $master }
}

function Get-DovecotConfig([string] $WorkDir, $Ids, [bool] $OAuth) {
    $w = $WorkDir
    $dh = if (Test-Path /usr/share/dovecot/dh.pem) { 'ssl_dh = </usr/share/dovecot/dh.pem' }
    $mechanisms = if ($OAuth) { 'plain login xoauth2 oauthbearer' } else { 'plain login' }
    # One oauth2 passdb per kind of token and accepted audience (its client_id must be in aud); the
    # first that accepts the token skips the others and sets the refusal text as reason. Then the
    # suspended and locked accounts are refused as with a password, and the mailbox must exist (an
    # app-only token may name any), or the login is refused with that reason; either way the token
    # never meets the password passdbs. A token none accepts meets the last passdb, which denies
    # with the same text.
    $oauthPassdbs = if ($OAuth) {
        @(foreach ($grant in $script:TokenGrants) {
                foreach ($audience in $script:IdpAudiences) {
                    @"
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $w/dovecot/oauth2-$($grant.Name)-$(([uri]$audience).Host).conf.ext
  skip = authenticated
  result_success = continue-ok
  result_failure = continue
  result_internalfail = continue
}
"@
                }
            }) + @"
passdb {
  driver = passwd-file
  mechanisms = xoauth2 oauthbearer
  skip = unauthenticated
  deny = yes
  args = username_format=%u $w/dovecot/deny-%s
}
passdb {
  driver = passwd-file
  mechanisms = xoauth2 oauthbearer
  skip = unauthenticated
  args = username_format=%u $w/dovecot/mailboxes
  result_success = return-ok
  result_failure = return-fail
  result_internalfail = return-fail
}
passdb {
  driver = static
  mechanisms = xoauth2 oauthbearer
  skip = authenticated
  deny = yes
  args = nopassword=y reason=$($script:TokenRefusal)
}
"@ -join "`n"
    }
    @"
# Dovecot for ExchangeDiag's mail lab. Every path is under $w.
instance_name = exdiag-maillab
base_dir = $w/run
state_dir = $w/state
protocols = imap pop3 lmtp
listen = $($script:ImapAddress)
log_path = $w/log/dovecot.log
info_log_path = $w/log/dovecot.log
# Why a login was refused (never the password or token: auth_verbose_passwords stays off).
auth_verbose = yes
import_environment = TZ $($script:Reasons.Keys -join ' ')
ssl = yes
ssl_cert = <$w/tls/mail.pem
ssl_key = <$w/tls/mail.key
$dh
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = $mechanisms
postmaster_address = postmaster@$($script:Domain)
mail_location = maildir:$w/mail/%d/%n/Maildir
mail_uid = $($Ids.Uid)
mail_gid = $($Ids.Gid)
first_valid_uid = $($Ids.Uid)
last_valid_uid = $($Ids.Uid)
first_valid_gid = $($Ids.Gid)
last_valid_gid = $($Ids.Gid)

namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    special_use = \Drafts
    auto = subscribe
  }
  mailbox Sent {
    special_use = \Sent
    auto = subscribe
  }
  mailbox Junk {
    special_use = \Junk
    auto = subscribe
  }
  mailbox Trash {
    special_use = \Trash
    auto = subscribe
  }
}

# Access tokens (XOAUTH2, OAUTHBEARER): the identity provider's signature, issuer, audience, expiry
# and upn = the user who logs in, checked by Dovecot itself (introspection_mode = local). A token
# never reaches the password passdbs below: it is accepted or refused before.
$oauthPassdbs
# The password is checked first, so a wrong one always gets the generic failure. Postfix's SASL
# client ignores "nologin", which only the IMAP login process honours: for SMTP AUTH (service
# "smtp") a deny passdb then refuses the suspended and locked accounts, with the same reason.
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $w/dovecot/users
  result_success = continue-ok
  result_failure = return-fail
}
passdb {
  driver = passwd-file
  deny = yes
  args = username_format=%u $w/dovecot/deny-%s
}
userdb {
  driver = passwd-file
  args = username_format=%u $w/dovecot/users
}

service imap-login {
  inet_listener imap {
    address = $($script:ImapAddress)
    port = 143
  }
  inet_listener imaps {
    address = $($script:ImapAddress)
    port = 993
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    address = $($script:ImapAddress)
    port = 110
  }
  inet_listener pop3s {
    address = $($script:ImapAddress)
    port = 995
    ssl = yes
  }
}
# No growing penalty for repeated failures from one address (every test connects from
# 127.0.0.1, and past 10 s Postfix gives up on the auth server): each failure waits
# auth_failure_delay (2 s) and no more.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service lmtp {
  unix_listener lmtp {
    mode = 0600
    user = postfix
    group = postfix
  }
}
service auth {
  unix_listener auth-postfix {
    mode = 0600
    user = postfix
    group = postfix
  }
  unix_listener auth-userdb {
    mode = 0600
    user = $($script:MailUser)
    group = $($script:MailUser)
  }
}
protocol lda {
  # LDA runs as the mail user, who may not write to the stats socket.
  stats_writer_socket_path =
  log_path = $w/log/dovecot-lda.log
  info_log_path = $w/log/dovecot-lda.log
}
"@
}

function Write-OAuthValidation {
    # Dovecot's oauth2 passdb, local validation: the key dict is read with "shared/<azp>/<alg>/<kid>"
    # (azp "default" when the token has none), which fs:posix turns into the file <prefix><azp>/<alg>/<kid>
    # holding the PEM key. The file is written for "default" and for each lab app, since Entra ID's v2
    # tokens carry azp and v1 tokens only appid.
    param([string] $WorkDir, [string] $SigningKey, [string] $Issuer, [string[]] $ClientId)

    $keys = Join-Path $WorkDir 'dovecot/idp-keys'
    $pem = Get-Content $SigningKey -Raw
    if ($pem -notmatch '-----BEGIN PUBLIC KEY-----') { throw "$SigningKey is not a PEM public key (-----BEGIN PUBLIC KEY-----)." }
    foreach ($azp in @('default') + $ClientId) {
        $dir = Join-Path $keys "$azp/RS256"
        $null = New-Item -ItemType Directory -Path $dir -Force
        Set-Content -Path (Join-Path $dir $script:IdpKeyId) -Value $pem -NoNewline
    }
    # The auth process reads them as the "dovecot" user.
    & chmod -R a+rX $keys

    foreach ($grant in $script:TokenGrants) {
        $permissions = foreach ($service in $grant.Permissions.Keys) { "$service/(.*[^A-Za-z0-9.])?$($grant.Permissions[$service].Replace('.', '[.]'))" }
        $pattern = "^($($permissions -join '|'))([^A-Za-z0-9.]|$)"
        foreach ($audience in $script:IdpAudiences) {
            Set-Content -Path (Join-Path $WorkDir "dovecot/oauth2-$($grant.Name)-$(([uri]$audience).Host).conf.ext") -Value @"
# $($grant.Name) access tokens of the lab identity provider for $audience, checked here without asking it.
introspection_mode = local
local_validation_key_dict = fs:posix:prefix=$keys/
issuers = $Issuer
client_id = $audience
username_attribute = $($grant.UsernameAttribute)
username_format = $($grant.UsernameFormat)
# Without the service's permission in $($grant.Claim), allow_nets names no network the client is in.
pass_attrs = allow_nets=%{if;%s/%{oauth2:$($grant.Claim)};~;$pattern;0.0.0.0/0;255.255.255.255/32} reason=$($script:TokenRefusal)
"@
        }
    }
}

function Start-MailLab {
    <#
    .SYNOPSIS
        Starts Postfix on 127.0.0.110 (25, 465, 587) and Dovecot on 127.0.0.111 (IMAP 143, 993; POP3 110, 995) for the
        domain post.lab.test, with the certificate <PkiDir>/mail.pfx; returns the lab's facts.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string] $PkiDir,
        [string] $WorkDir = (Join-Path ([IO.Path]::GetTempPath()) "exchangediag-maillab-$PID"),
        # The lab identity provider's public signing key (SubjectPublicKeyInfo PEM) that XOAUTH2 and
        # OAUTHBEARER tokens are checked with. Without the file the lab offers neither mechanism.
        [string] $IdpSigningKey = (Join-Path $PkiDir 'idp-signing.pub.pem'),
        [string] $IdpIssuer = $script:IdpIssuer,
        # The IdP's apps: Dovecot finds the key under the token's azp, so a token from an app not
        # listed here is refused.
        [string[]] $IdpClientId = $script:IdpClientIds
    )

    Assert-Root 'Postfix and Dovecot bind ports below 1024 and switch users.'
    $pfx = Join-Path $PkiDir 'mail.pfx'
    if (-not (Test-Path $pfx)) { throw "The lab PKI has no mail certificate: $pfx is missing (add a certificate named 'mail' to the PKI config)." }
    Install-MailServer
    $ids = Initialize-MailUser

    $WorkDir = [IO.Path]::GetFullPath($WorkDir)
    if (Test-Path $WorkDir) {
        Stop-MailDaemons $WorkDir
        Remove-Item $WorkDir -Recurse -Force
    }
    Assert-PortsFree

    # The daemons' users (postfix, dovecot, exdiagmail) must reach sockets and files inside.
    $null = New-Item -ItemType Directory -Path $WorkDir
    & chmod 0755 $WorkDir
    foreach ($dir in 'postfix', 'dovecot', 'tls', 'log', 'mail', 'slow', 'spool') { $null = New-Item -ItemType Directory -Path (Join-Path $WorkDir $dir) }
    & chown "$($script:MailUser):$($script:MailUser)" (Join-Path $WorkDir 'mail') (Join-Path $WorkDir 'slow')
    & chmod 0700 (Join-Path $WorkDir 'tls')

    $key = Join-Path $WorkDir 'tls/mail.key'
    $cert = Join-Path $WorkDir 'tls/mail.pem'
    $null = New-Item -ItemType File -Path $key
    & chmod 0600 $key
    & openssl pkcs12 -in $pfx -passin pass: -nodes -nocerts -out $key 2>&1 | Out-Null
    $okKey = $LASTEXITCODE -eq 0
    # The server's certificate first, then any intermediate the PFX carries.
    $leaf = & openssl pkcs12 -in $pfx -passin pass: -nokeys -clcerts 2>$null
    $okCert = $LASTEXITCODE -eq 0
    $chain = & openssl pkcs12 -in $pfx -passin pass: -nokeys -cacerts 2>$null
    if (-not ($okKey -and $okCert) -or $LASTEXITCODE -ne 0) { throw "openssl could not read $pfx (expected a PKCS#12 file without a password)." }
    Set-Content -Path $cert -Value (@($leaf) + @($chain))

    $postfixDir = Join-Path $WorkDir 'postfix'
    $dovecotConf = Join-Path $WorkDir 'dovecot/dovecot.conf'
    $log = Join-Path $WorkDir 'log/postfix.log'
    $d = $script:Domain
    # bulk1..bulk500: healthy mailboxes by the hundred, for bench/Measure-Diagnosis.ps1 (also in the emulator).
    $accounts = @('healthy', 'spammer', 'expired', 'locked', 'overquota', 'slow') + $script:CloudAccounts + (1..$script:BulkAccounts | ForEach-Object { "bulk$_" })
    $oauth = Test-Path $IdpSigningKey -PathType Leaf
    if (-not $oauth) { Write-Warning "The mail lab offers no XOAUTH2 or OAUTHBEARER: the identity provider's key $IdpSigningKey is missing." }

    $postfix = Get-PostfixConfig $WorkDir
    Set-Content -Path (Join-Path $postfixDir 'main.cf') -Value $postfix.Main
    Set-Content -Path (Join-Path $postfixDir 'master.cf') -Value $postfix.Master
    Set-Content -Path (Join-Path $postfixDir 'mailboxes') -Value (@($accounts | ForEach-Object { "$_@$d $d/$_/" }) + "healthy@$($script:IncidentDomain) $($script:IncidentDomain)/healthy/")
    Set-Content -Path (Join-Path $postfixDir 'senders') -Value ($accounts | ForEach-Object { "$_@$d $_@$d" })
    Set-Content -Path (Join-Path $postfixDir 'transport') -Value "slow@$d slow:"
    Set-Content -Path (Join-Path $postfixDir 'sender_access') -Value @(
        "spammer@$d 550 5.7.1 Sender blocked: this account is blocked for sending spam"
        "overquota@$d 550 5.2.2 Submission quota exceeded"
    )
    Set-Content -Path (Join-Path $postfixDir 'recipient_access') -Value @(
        "expired@$d 550 5.2.1 Mailbox disabled: subscription expired"
        "overquota@$d 552 5.2.2 Mailbox full, quota exceeded"
    )
    # No service may run chrooted in the spool: the LMTP and SASL sockets live outside it.
    & postconf -c $postfixDir -F '*/*/chroot = n'
    if ($LASTEXITCODE -ne 0) { throw "postconf rejected $postfixDir/master.cf." }

    # The slow account's transport: the first attempt of each message is deferred (EX_TEMPFAIL); the
    # retry delivers it, 60-70 s later (minimal_backoff_time + queue_run_delay) or at "postqueue -f".
    $slowScript = Join-Path $WorkDir 'slow-delivery.sh'
    Set-Content -Path $slowScript -Value @"
#!/bin/sh
# `$1 queue id, `$2 sender, `$3 recipient (Postfix pipe(8), run as $($script:MailUser)).
mark="$WorkDir/slow/`$1"
if [ ! -e "`$mark" ]; then
    : > "`$mark"
    echo "4.4.1 slow mailbox: delivery deferred once by the mail lab"
    exit 75
fi
rm -f "`$mark"
exec /usr/lib/dovecot/dovecot-lda -c "$dovecotConf" -f "`${2:-MAILER-DAEMON}" -d "`$3"
"@
    & chmod 0755 $slowScript

    # "mailboxes" tells the token passdbs that the mailbox exists (the token stood for the password),
    # with the same IMAP refusal for the suspended and locked accounts.
    $users = [Collections.Generic.List[string]]::new()
    $mailboxes = [Collections.Generic.List[string]]::new()
    foreach ($account in $accounts) {
        $extra = switch ($account) {
            'expired' { 'nologin reason=%{env:EXDIAG_MAILLAB_EXPIRED}' }
            'locked' { 'nologin reason=%{env:EXDIAG_MAILLAB_LOCKED}' }
        }
        $users.Add("$account@$($d):{PLAIN}$($script:Password):$($ids.Uid):$($ids.Gid)::$WorkDir/mail/$d/$account::$extra")
        $mailboxes.Add("$account@$($d):::::::nopassword $extra".TrimEnd())
    }
    $denied = foreach ($account in 'expired', 'locked') {
        "$account@$($d):::::::reason=%{env:EXDIAG_MAILLAB_$($account.ToUpperInvariant())}"
    }
    # One deny list per Dovecot service name; only SMTP AUTH (Postfix) has entries.
    $dovecotFiles = [ordered]@{ users = $users; 'deny-smtp' = $denied; 'deny-imap' = @(); 'deny-doveadm' = @(); mailboxes = $mailboxes }
    foreach ($name in $dovecotFiles.Keys) {
        # Dovecot's auth processes read these as the "dovecot" user.
        $path = Join-Path $WorkDir "dovecot/$name"
        $null = New-Item -ItemType File -Path $path
        & chown root:dovecot $path
        & chmod 0640 $path
        Set-Content -Path $path -Value $dovecotFiles[$name]
    }
    if ($oauth) { Write-OAuthValidation -WorkDir $WorkDir -SigningKey $IdpSigningKey -Issuer $IdpIssuer -ClientId $IdpClientId }
    Set-Content -Path $dovecotConf -Value (Get-DovecotConfig $WorkDir $ids $oauth)
    # LDA (slow@) runs as the mail user and writes its own log.
    $ldaLog = Join-Path $WorkDir 'log/dovecot-lda.log'
    $null = New-Item -ItemType File -Path $ldaLog
    & chown "$($script:MailUser):$($script:MailUser)" $ldaLog

    try {
        $reasonEnv = foreach ($name in $script:Reasons.Keys) { "$name=$($script:Reasons[$name])" }
        $startLog = Join-Path $WorkDir 'log/start.log'
        Invoke-Daemon $startLog (@('env') + $reasonEnv + @('dovecot', '-c', $dovecotConf))
        if ($LASTEXITCODE -ne 0) { throw "Dovecot did not start:`n$(Get-Content $startLog, (Join-Path $WorkDir 'log/dovecot.log') -Tail 20 -ErrorAction Ignore | Out-String)" }
        Invoke-Daemon $startLog 'postfix', '-c', $postfixDir, 'start'
        if ($LASTEXITCODE -ne 0) { throw "Postfix did not start:`n$(Get-Content $startLog, $log -Tail 20 -ErrorAction Ignore | Out-String)" }

        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        Wait-MailPort -Address $script:SmtpAddress -Port 587 -Expect '220 ' -Deadline $deadline -Log $log
        Wait-MailPort -Address $script:ImapAddress -Port 993 -Tls -Expect '* OK' -Deadline $deadline -Log (Join-Path $WorkDir 'log/dovecot.log')
    }
    catch {
        Stop-MailDaemons $WorkDir
        throw
    }

    [pscustomobject]@{
        WorkDir          = $WorkDir
        SmtpServer       = $script:SmtpAddress
        ImapServer       = $script:ImapAddress
        Domain           = $script:Domain
        Password         = $script:Password
        MailLog          = $log
        DovecotLog       = Join-Path $WorkDir 'log/dovecot.log'
        PostfixConfigDir = $postfixDir
        DovecotConfig    = $dovecotConf
        OAuth            = $oauth
        IdpIssuer        = $IdpIssuer
        Accounts         = [ordered]@{
            Healthy   = "healthy@$d"
            Spammer   = "spammer@$d"
            Expired   = "expired@$d"
            Locked    = "locked@$d"
            OverQuota = "overquota@$d"
            Slow      = "slow@$d"
            Cloud     = "cloud@$d"
        }
    }
}

function New-LabAccessToken {
    <#
    .SYNOPSIS
        Signs an access token as the lab identity provider would issue it (RS256 JWT, its claims), or
        spoiled on purpose (another key, expired, another issuer), for tests the IdP cannot serve.
    .PARAMETER SigningKey
        The private key: the emulator's <pki>/idp-signing.pfx (no password) or a PEM private key.
    .PARAMETER Lifetime
        From now to exp; a negative one makes an expired token (iat and nbf an hour before exp).
    .PARAMETER Roles
        Makes an app-only token (client credentials): these roles, and neither upn nor scp.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Delegated')]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)] [string] $SigningKey,
        [string] $Issuer = $script:IdpIssuer,
        [string] $Audience = $script:IdpAudiences[0],
        [Parameter(Mandatory, ParameterSetName = 'Delegated')] [string] $User,
        [Parameter(ParameterSetName = 'Delegated')] [string] $Scope = 'IMAP.AccessAsUser.All SMTP.Send',
        [Parameter(Mandatory, ParameterSetName = 'AppOnly')] [string[]] $Roles,
        [string] $ClientId = $script:IdpClientIds[0],
        [TimeSpan] $Lifetime = [TimeSpan]::FromHours(1),
        [string] $KeyId = $script:IdpKeyId
    )

    $rsa = if ($SigningKey -like '*.pfx') {
        $certificate = [Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadPkcs12FromFile($SigningKey, $null,
            [Security.Cryptography.X509Certificates.X509KeyStorageFlags]::EphemeralKeySet)
        [Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($certificate)
    }
    else {
        $key = [Security.Cryptography.RSA]::Create()
        $key.ImportFromPem((Get-Content $SigningKey -Raw))
        $key
    }
    $base64Url = { param([byte[]] $Bytes) [Convert]::ToBase64String($Bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
    $json = { param($Value) & $base64Url ([Text.Encoding]::UTF8.GetBytes(($Value | ConvertTo-Json -Compress))) }

    $exp = [DateTimeOffset]::UtcNow.Add($Lifetime).ToUnixTimeSeconds()
    $iat = [Math]::Min([DateTimeOffset]::UtcNow.ToUnixTimeSeconds(), $exp - 3600)
    $oid = [guid]::NewGuid().ToString()
    $header = [ordered]@{ alg = 'RS256'; typ = 'JWT'; kid = $KeyId }
    $claims = [ordered]@{
        aud = $Audience; iss = $Issuer; iat = $iat; nbf = $iat; exp = $exp
        oid = $oid; sub = $oid; tid = $script:IdpTenantId
    }
    # An empty client id leaves both out: Dovecot then looks the key up under "default".
    if ($ClientId) { $claims += [ordered]@{ appid = $ClientId; azp = $ClientId } }
    if ($Roles) { $claims.roles = @($Roles) }
    else { $claims += [ordered]@{ scp = $Scope; upn = $User; unique_name = $User; preferred_username = $User } }
    $signed = "$(& $json $header).$(& $json $claims)"
    $signature = $rsa.SignData([Text.Encoding]::ASCII.GetBytes($signed), [Security.Cryptography.HashAlgorithmName]::SHA256,
        [Security.Cryptography.RSASignaturePadding]::Pkcs1)
    "$signed.$(& $base64Url $signature)"
}

function Resume-MailLabDelivery {
    <#
    .SYNOPSIS
        Retries every deferred message now ("postqueue -f"): releases mail for slow@ at once.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Lab)

    & postqueue -c $Lab.PostfixConfigDir -f
    if ($LASTEXITCODE -ne 0) { throw 'postqueue -f failed.' }
}

function Stop-MailLab {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Lab)

    Stop-MailDaemons $Lab.WorkDir
    Remove-Item $Lab.WorkDir -Recurse -Force -ErrorAction Ignore
}

Export-ModuleMember -Function Start-MailLab, Stop-MailLab, Resume-MailLabDelivery, New-LabAccessToken
