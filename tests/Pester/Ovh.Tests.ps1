# The OVHcloud API cmdlets against the lab's API emulator (tests/ExchangeEmulator/OvhApi*.cs) on
# https://127.0.0.120/1.0, whose certificate comes from the lab CA only this process trusts. The
# emulator checks every signature and accepts only the lab's keys (tests/lab/exchange-lab.json).

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force

    $script:api = $env:EXCHANGEDIAG_LAB_OVH
    $script:control = "$env:EXCHANGEDIAG_LAB_CONTROL/ovh"
    $lab = (Get-Content (Join-Path $env:EXCHANGEDIAG_REPO 'tests/lab/exchange-lab.json') -Raw | ConvertFrom-Json).ovhApi
    $script:appKey = $lab.applicationKey
    $script:appSecret = $lab.applicationSecret
    $script:consumerKey = $lab.consumerKey
    $script:mailboxPassword = $lab.password
    $script:secrets = @($appSecret, $consumerKey, $mailboxPassword)

    function ConvertTo-Secure([string] $Text) { ConvertTo-SecureString $Text -AsPlainText -Force }

    # Credentials as parameters; -Secret and -Consumer replace the right ones.
    function Get-OvhParams([string] $Secret = $appSecret, [string] $Consumer = $consumerKey) {
        @{ Endpoint = $api; ApplicationKey = $appKey; ApplicationSecret = (ConvertTo-Secure $Secret); ConsumerKey = (ConvertTo-Secure $Consumer) }
    }

    function Reset-Ovh { $null = Invoke-RestMethod -Method Post -Uri "$control/reset" }

    function Set-OvhAccount([string] $Email, [string] $State, [long] $Ticket = 0) {
        $body = @{ state = $State }
        if ($Ticket) { $body.spamTicketNumber = $Ticket }
        $null = Invoke-RestMethod -Method Post -Uri "$control/accounts/$Email" -Body ($body | ConvertTo-Json) -ContentType application/json
    }

    function Invoke-OvhControl([string] $Path, [hashtable] $Body) {
        $null = Invoke-RestMethod -Method Post -Uri "$control/$Path" -Body ($Body | ConvertTo-Json) -ContentType application/json
    }

    # How many times the emulator answered each call, such as 'GET /auth/time'.
    function Get-OvhCalls { (Invoke-RestMethod -Uri "$control/calls").byCall }

    # A fresh pwsh (the repository's local tool) with the built module, in -Location, with -Environment
    # variables set (and OVH_* cleared unless given); returns its output.
    function Invoke-ChildPwsh([string] $Script, [string] $Location = $TestDrive, [hashtable] $Environment = @{}) {
        $saved = @{}
        $names = @('OVH_ENDPOINT', 'OVH_APPLICATION_KEY', 'OVH_APPLICATION_SECRET', 'OVH_CONSUMER_KEY', 'HOME') + @($Environment.Keys)
        foreach ($name in $names | Select-Object -Unique) {
            $saved[$name] = [Environment]::GetEnvironmentVariable($name)
            if ($name -ne 'HOME') { [Environment]::SetEnvironmentVariable($name, $null) }
        }
        foreach ($name in $Environment.Keys) { [Environment]::SetEnvironmentVariable($name, $Environment[$name]) }
        # dotnet itself keeps its state under HOME: keep it where it was, and quiet.
        $saved['DOTNET_CLI_HOME'] = $env:DOTNET_CLI_HOME
        $saved['DOTNET_NOLOGO'] = $env:DOTNET_NOLOGO
        $env:DOTNET_CLI_HOME = if ($saved['DOTNET_CLI_HOME']) { $saved['DOTNET_CLI_HOME'] } else { $saved['HOME'] }
        $env:DOTNET_NOLOGO = '1'
        $full = "`$ErrorActionPreference = 'Stop'; Import-Module '$env:EXCHANGEDIAG_MODULE'; Set-Location '$Location'; $Script"
        Push-Location $env:EXCHANGEDIAG_REPO
        try { & dotnet pwsh -NoProfile -NonInteractive -Command $full 2>&1 | ForEach-Object { "$_" } }
        finally {
            Pop-Location
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
    }

    function New-OvhConf([string] $Path, [string] $Secret = $appSecret) {
        Set-Content -Path $Path -Value @"
[default]
; the lab's emulator, as a full URL
endpoint=$api

[$api]
application_key=$appKey
application_secret=$Secret
consumer_key=$consumerKey
"@
    }
}

Describe 'Get-ExchangeAccountState' {
    BeforeEach {
        Reset-Ovh
        Disconnect-ExchangeDiagOvh
    }

    It 'reports a healthy account with the service lockout policy and the domain records' {
        $params = Get-OvhParams
        $result = Get-ExchangeAccountState -EmailAddress healthy@lab.test @params
        $result | Should -BeOfType ([ExchangeDiag.AccountStateResult])
        $result.Status | Should -Be 'Passed'
        $result.Cause | Should -Be 'None'
        $result.Organization | Should -Be 'hosted-lab-1'
        $result.Service | Should -Be 'hosted-lab-1'
        $result.SpamDetected | Should -BeFalse
        $result.AccountState | Should -Be 'ok'
        $result.ServiceStatus | Should -Be 'ok'
        $result.Expiration | Should -BeGreaterThan ([DateTimeOffset]::UtcNow)
        $result.LockoutThreshold | Should -Be 5
        $result.LockoutDuration | Should -Be ([TimeSpan]::FromMinutes(30))
        $result.LockoutObservationWindow | Should -Be ([TimeSpan]::FromMinutes(30))
        $result.DomainMxValid | Should -BeTrue
        $result.DomainSrvValid | Should -BeTrue
        $result.Remediation | Should -BeNullOrEmpty
    }

    It 'reports <State> as <Cause>' -TestCases @(
        @{ State = 'spam'; Email = 'spammer@lab.test'; Cause = 'AccountBlockedForSpam'; Property = 'SpamDetected'; Value = $true }
        @{ State = 'suspended'; Email = 'suspended@lab.test'; Cause = 'SubscriptionExpired'; Property = 'AccountState'; Value = 'suspended' }
        @{ State = 'expired'; Email = 'expired@lab.test'; Cause = 'SubscriptionExpired'; Property = 'ServiceStatus'; Value = 'expired' }
        @{ State = 'unpaid'; Email = 'unpaid@lab.test'; Cause = 'SubscriptionExpired'; Property = 'ServiceStatus'; Value = 'unPaid' }
        @{ State = 'locked'; Email = 'locked@lab.test'; Cause = 'AccountLocked'; Property = 'LockedByProvider'; Value = $true }
    ) {
        Set-OvhAccount $Email $State
        $params = Get-OvhParams
        $result = Get-ExchangeAccountState $Email @params
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be $Cause
        $result.$Property | Should -Be $Value
        $result.Remediation | Should -Not -BeNullOrEmpty
    }

    It 'names the spam ticket to answer' {
        Set-OvhAccount spammer@lab.test spam 1234567
        $params = Get-OvhParams
        $result = Get-ExchangeAccountState spammer@lab.test @params
        $result.SpamTicketNumber | Should -Be 1234567
        $result.Message | Should -Match '1234567'
        $result.Remediation | Should -Match '1234567'
    }

    It 'says to renew the subscription when the service expired, and wait or call support when locked' {
        $params = Get-OvhParams
        Set-OvhAccount expired@lab.test expired
        (Get-ExchangeAccountState expired@lab.test @params).Remediation | Should -Match 'Renew'
        Reset-Ovh
        Set-OvhAccount locked@lab.test locked
        $locked = Get-ExchangeAccountState locked@lab.test @params
        $locked.Remediation | Should -Match '30 minutes'
        $locked.LastDiagnosis | Should -Not -BeNullOrEmpty
    }

    It 'never reports a lock the provider did not state' {
        $params = Get-OvhParams
        $result = Get-ExchangeAccountState locked@lab.test @params
        $result.Cause | Should -Be 'None'
        $result.LockedByProvider | Should -BeNullOrEmpty
    }

    It 'finds the organization and service by listing, and goes straight to them when given' {
        $params = Get-OvhParams
        $found = Get-ExchangeAccountState user@other.lab.test @params
        $found.Organization | Should -Be 'hosted-lab-2'
        $found.Service | Should -Be 'private-lab-2'
        $found.LockoutThreshold | Should -Be 0

        Reset-Ovh
        $direct = Get-ExchangeAccountState user@other.lab.test -Organization hosted-lab-2 -Service private-lab-2 @params
        $direct.Status | Should -Be 'Passed'
        (Get-OvhCalls).'GET /email/exchange' | Should -BeNullOrEmpty
    }

    It 'flags the domain records the provider finds wrong as a Warning' {
        Invoke-OvhControl 'domains/lab.test' @{ mxIsValid = $false }
        $params = Get-OvhParams
        $result = Get-ExchangeAccountState healthy@lab.test @params
        $result.Status | Should -Be 'Warning'
        $result.Cause | Should -Be 'MxInvalid'
        $result.DomainMxValid | Should -BeFalse
        $result.Message | Should -Match 'mx0.mail.ovh.net'
    }

    It 'takes addresses from the pipeline; a bad one is an error and the next goes on' {
        $params = Get-OvhParams
        $results = 'healthy@lab.test', 'not-an-address', 'user@other.lab.test' | Get-ExchangeAccountState @params -ErrorVariable errors -ErrorAction SilentlyContinue
        $results.Target | Should -Be @('healthy@lab.test', 'user@other.lab.test')
        $errors.FullyQualifiedErrorId | Should -Be 'InvalidEmailAddress,ExchangeDiag.Commands.GetExchangeAccountStateCommand'
    }

    It 'reports an address no service holds as an Error naming it' {
        $params = Get-OvhParams
        $result = Get-ExchangeAccountState nobody@lab.test @params
        $result.Status | Should -Be 'Error'
        $result.Cause | Should -Be 'ProviderApiFailed'
        $result.Message | Should -Match 'nobody@lab.test'
    }
}

Describe 'OVHcloud API failures' {
    BeforeEach {
        Reset-Ovh
        Disconnect-ExchangeDiagOvh
    }

    It 'turns a wrong application secret (400 "Invalid signature", no errorCode) into a result naming the call, without the secret' {
        $params = Get-OvhParams -Secret 'Wrong-Secret-0123456789abcdef0000'
        $result = Get-ExchangeAccountState healthy@lab.test @params
        $result.Status | Should -Be 'Error'
        $result.Cause | Should -Be 'ProviderApiFailed'
        $result.Message | Should -Match '^GET /email/exchange: the OVHcloud API refused the credentials .*HTTP 400 "Invalid signature"'
        $result.Remediation | Should -Match 'application secret'
        $result.Message | Should -Not -Match 'Wrong-Secret'
    }

    It 'turns an unknown consumer key into a 403 result' {
        $params = Get-OvhParams -Consumer 'UnknownConsumerKey0123456789abcd'
        (Get-ExchangeAccountState healthy@lab.test @params).Message | Should -Match '403 INVALID_CREDENTIAL'
    }

    It 'turns a skewed clock into a 403 result' {
        # /auth/time lies by an hour, so the client's timestamps are an hour off the server's clock.
        Invoke-OvhControl clock @{ offsetSeconds = 3600 }
        $params = Get-OvhParams
        $result = Get-ExchangeAccountState healthy@lab.test @params
        $result.Status | Should -Be 'Error'
        $result.Message | Should -Match '403 QUERY_TIME_OUT'
        $result.Remediation | Should -Match 'clock'
    }

    It 'retries 429 after Retry-After and then succeeds' {
        Invoke-OvhControl rate-limit @{ calls = 2; retryAfterSeconds = 1 }
        $params = Get-OvhParams
        $verbose = Get-ExchangeAccountState healthy@lab.test @params -Verbose 4>&1
        $result = $verbose | Where-Object { $_ -is [ExchangeDiag.AccountStateResult] }
        $result.Status | Should -Be 'Passed'
        $result.Duration | Should -BeGreaterThan ([TimeSpan]::FromSeconds(1.9))
        @($verbose | Where-Object { "$_" -match 'trying again in 1 s' }).Count | Should -Be 2
        (Get-OvhCalls).'GET /auth/time' | Should -Be 3
    }

    It 'gives up on 429 after three retries' {
        Invoke-OvhControl rate-limit @{ calls = 100; retryAfterSeconds = 1 }
        $params = Get-OvhParams
        $result = Get-ExchangeAccountState healthy@lab.test @params
        $result.Status | Should -Be 'Error'
        $result.Message | Should -Match '^GET /auth/time: .*limiting the rate of calls after 4 attempts'
        (Get-OvhCalls).'GET /auth/time' | Should -Be 4
    }

    It 'reports an outage clearly, with retries bounded by the timeout' {
        Invoke-OvhControl outage @{ status = 503 }
        $params = Get-OvhParams
        $result = Get-ExchangeAccountState healthy@lab.test @params -TimeoutSeconds 5
        $result.Status | Should -Be 'Error'
        $result.Cause | Should -Be 'ProviderApiFailed'
        $result.Message | Should -Match '503'
        $result.Message | Should -Match "provider's side"
        $result.Duration | Should -BeLessThan ([TimeSpan]::FromSeconds(5))
    }

    It 'refuses to connect with a wrong secret, as an authentication error' {
        $params = Get-OvhParams -Secret 'Wrong-Secret-0123456789abcdef0000'
        $caught = $null
        try { Connect-ExchangeDiagOvh @params } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'OvhConnectFailed,ExchangeDiag.Commands.ConnectExchangeDiagOvhCommand'
        $caught.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $caught.Exception.Message | Should -Match '^GET /auth/currentCredential: .*Invalid signature'
    }
}

Describe 'Invoke-ExchangeDiagnosticOvh' {
    BeforeEach {
        Reset-Ovh
        Disconnect-ExchangeDiagOvh
    }

    It 'starts the provider diagnosis with the password, polls its task, and reads the eight answers' {
        $params = Get-OvhParams
        $credential = [pscredential]::new('healthy@lab.test', (ConvertTo-Secure $mailboxPassword))
        $result = Invoke-ExchangeDiagnosticOvh -Credential $credential @params
        $result | Should -BeOfType ([ExchangeDiag.ProviderDiagnosisResult])
        $result.Status | Should -Be 'Passed'
        foreach ($name in 'ConnectiveOwa', 'IsMxValid', 'IsSrvValid', 'CanSendEmail', 'CanReceiveEmail') { $result.$name | Should -BeTrue -Because $name }
        foreach ($name in 'IsSpammer', 'IsSuspended', 'IsLocked') { $result.$name | Should -BeFalse -Because $name }
        $result.LastCheck | Should -Not -BeNullOrEmpty
        $result.Disagreements | Should -BeNullOrEmpty
        # Two polls 2 s apart: todo -> doing -> done.
        $result.Duration | Should -BeGreaterThan ([TimeSpan]::FromSeconds(3.9))
        ((Get-OvhCalls).PSObject.Properties | Where-Object Name -like 'GET */tasks/*').Value | Should -Be 2
        $account = Invoke-RestMethod -Uri "$control/accounts/healthy@lab.test"
        $account.diagnoses | Should -Be 1
        $account.lastPasswordCorrect | Should -BeTrue
    }

    It 'maps the provider answers of a <State> account to <Cause>' -TestCases @(
        @{ State = 'spam'; Cause = 'AccountBlockedForSpam'; Property = 'IsSpammer' }
        @{ State = 'suspended'; Cause = 'SubscriptionExpired'; Property = 'IsSuspended' }
        @{ State = 'locked'; Cause = 'AccountLocked'; Property = 'IsLocked' }
    ) {
        Set-OvhAccount healthy@lab.test $State
        $params = Get-OvhParams
        $credential = [pscredential]::new('healthy@lab.test', (ConvertTo-Secure $mailboxPassword))
        $result = Invoke-ExchangeDiagnosticOvh healthy@lab.test -Credential $credential -Organization hosted-lab-1 -Service hosted-lab-1 @params
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be $Cause
        $result.$Property | Should -BeTrue
        $result.CanSendEmail | Should -BeFalse
    }

    It 'never sends one mailbox''s password in another''s name, as Get-Mailbox piped with one credential would' {
        $params = Get-OvhParams
        $credential = [pscredential]::new('healthy@lab.test', (ConvertTo-Secure $mailboxPassword))
        $mailboxes = [pscustomobject]@{ PrimarySmtpAddress = 'healthy@lab.test' }, [pscustomobject]@{ PrimarySmtpAddress = 'lockme@lab.test' }
        $results = $mailboxes | Invoke-ExchangeDiagnosticOvh -Credential $credential @params -ErrorVariable refused -ErrorAction SilentlyContinue
        @($results).Count | Should -Be 1
        $results.Target | Should -Be 'healthy@lab.test'
        $refused.FullyQualifiedErrorId | Should -Be 'CredentialMismatch,ExchangeDiag.Commands.InvokeExchangeDiagnosticOvhCommand'
        $posts = (Get-OvhCalls).PSObject.Properties | Where-Object Name -like 'POST *diagnostics'
        ($posts.Value | Measure-Object -Sum).Sum | Should -Be 1 -Because 'only healthy@lab.test, the credential''s own mailbox, was diagnosed'
    }

    It 'runs under its old name Invoke-OvhExchangeDiagnosis, an alias' {
        $params = Get-OvhParams
        $credential = [pscredential]::new('healthy@lab.test', (ConvertTo-Secure $mailboxPassword))
        $result = Invoke-OvhExchangeDiagnosis healthy@lab.test -Credential $credential -Organization hosted-lab-1 -Service hosted-lab-1 @params
        $result | Should -BeOfType ([ExchangeDiag.ProviderDiagnosisResult])
        $result.Status | Should -Be 'Passed'
    }

    It 'reports what the provider says of a wrong password' {
        $params = Get-OvhParams
        $credential = [pscredential]::new('healthy@lab.test', (ConvertTo-Secure 'Wrong-Horse-9'))
        $result = Invoke-ExchangeDiagnosticOvh -Credential $credential @params
        $result.Cause | Should -Be 'WebmailAuthFailed'
        $result.ConnectiveOwa | Should -BeFalse
        (Invoke-RestMethod -Uri "$control/accounts/healthy@lab.test").lastPasswordCorrect | Should -BeFalse
    }

    It 'reports a diagnosis task that ends in error as an Error' {
        Invoke-OvhControl task-outcome @{ status = 'error' }
        $params = Get-OvhParams
        $credential = [pscredential]::new('healthy@lab.test', (ConvertTo-Secure $mailboxPassword))
        $result = Invoke-ExchangeDiagnosticOvh -Credential $credential @params
        $result.Status | Should -Be 'Error'
        $result.Cause | Should -Be 'ProviderApiFailed'
        $result.Message | Should -Match 'status error'
        $result.IsSpammer | Should -BeNullOrEmpty
    }

    It 'stops waiting at -TimeoutSeconds' {
        $params = Get-OvhParams
        $credential = [pscredential]::new('healthy@lab.test', (ConvertTo-Secure $mailboxPassword))
        $result = Invoke-ExchangeDiagnosticOvh -Credential $credential -TimeoutSeconds 3 @params
        $result.Status | Should -Be 'Error'
        $result.Cause | Should -Be 'ProviderApiFailed'
        $result.Message | Should -Match '3 s'
    }
}

Describe 'Support tickets through the client' {
    BeforeEach { Reset-Ovh }

    It 'creates a ticket for the exchange product and returns its id and number' {
        $core = [ExchangeDiag.AccountStateResult].Assembly
        $credentials = $core.GetType('ExchangeDiag.Ovh.OvhCredentials')::new([uri] $api, $appKey, (ConvertTo-Secure $appSecret), (ConvertTo-Secure $consumerKey), 'test')
        $client = $core.GetType('ExchangeDiag.Ovh.OvhClient')::new($credentials)
        try {
            $request = $core.GetType('ExchangeDiag.Ovh.OvhTicketRequest')::new('Mailbox healthy@lab.test cannot send', "## Report`nSend: failed (5.7.708)")
            $request.Category = 'incident'
            $request.ServiceName = 'hosted-lab-1'
            $ticket = $client.CreateTicketAsync($request, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
        }
        finally { $client.Dispose() }

        $ticket.TicketId | Should -BeGreaterThan 0
        $ticket.TicketNumber | Should -BeGreaterThan 0
        $stored = Invoke-RestMethod -Uri "$control/tickets"
        @($stored).Count | Should -Be 1
        $stored[0].product | Should -Be 'exchange'
        $stored[0].category | Should -Be 'incident'
        $stored[0].serviceName | Should -Be 'hosted-lab-1'
        $stored[0].body | Should -Be "## Report`nSend: failed (5.7.708)"
        $stored[0].ticketId | Should -Be "$($ticket.TicketId)"
    }
}

Describe 'Where the OVHcloud API credentials come from' {
    BeforeEach {
        Reset-Ovh
        Disconnect-ExchangeDiagOvh
    }

    It 'keeps a verified session with Connect-ExchangeDiagOvh until Disconnect-ExchangeDiagOvh' {
        $params = Get-OvhParams
        $connection = Connect-ExchangeDiagOvh @params
        $connection | Should -BeOfType ([ExchangeDiag.OvhConnection])
        $connection.CredentialStatus | Should -Be 'validated'
        $connection.ApplicationKey | Should -Be $appKey
        $connection.Source | Should -Be 'parameters'

        (Get-ExchangeAccountState healthy@lab.test).Status | Should -Be 'Passed'
        (Get-ExchangeAccountState user@other.lab.test).Status | Should -Be 'Passed'
        # One client for the session: the server time was asked once.
        (Get-OvhCalls).'GET /auth/time' | Should -Be 1

        Disconnect-ExchangeDiagOvh
        Push-Location $TestDrive
        try { { Get-ExchangeAccountState healthy@lab.test } | Should -Throw -ErrorId 'NoOvhCredentials,ExchangeDiag.Commands.GetExchangeAccountStateCommand' }
        finally { Pop-Location }
    }

    It 'lets parameters win over the session' {
        $params = Get-OvhParams
        $null = Connect-ExchangeDiagOvh @params
        $wrong = Get-OvhParams -Secret 'Wrong-Secret-0123456789abcdef0000'
        (Get-ExchangeAccountState healthy@lab.test @wrong).Message | Should -Match 'Invalid signature'
    }

    It 'reads the OVH_* environment variables' {
        $output = Invoke-ChildPwsh "(Get-ExchangeAccountState healthy@lab.test).Status" -Environment @{
            OVH_ENDPOINT = $api; OVH_APPLICATION_KEY = $appKey; OVH_APPLICATION_SECRET = $appSecret; OVH_CONSUMER_KEY = $consumerKey
        }
        $output | Should -Be 'Passed'
    }

    It 'reads ovh.conf in the current location (its keys; the lab''s URL endpoint comes from OVH_ENDPOINT)' {
        $dir = New-Item -ItemType Directory (Join-Path $TestDrive 'cwd')
        New-OvhConf (Join-Path $dir 'ovh.conf')
        $output = Invoke-ChildPwsh "(Get-ExchangeAccountState healthy@lab.test).Status; (Connect-ExchangeDiagOvh).Source" -Location $dir -Environment @{ OVH_ENDPOINT = $api }
        $output[0] | Should -Be 'Passed'
        $output[1] | Should -Be "environment, $(Join-Path $dir 'ovh.conf')"
    }

    It 'takes no URL endpoint from the ovh.conf of the current location, where anyone''s checkout may put one' {
        $dir = New-Item -ItemType Directory (Join-Path $TestDrive 'cwd-url')
        New-OvhConf (Join-Path $dir 'ovh.conf')
        $before = (Invoke-RestMethod -Uri "$control/calls").total
        $output = Invoke-ChildPwsh "try { Get-ExchangeAccountState healthy@lab.test } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }" -Location $dir
        $output[0] | Should -Be 'IncompleteOvhCredentials,ExchangeDiag.Commands.GetExchangeAccountStateCommand'
        $output[1] | Should -Match 'a URL is taken only from -Endpoint, OVH_ENDPOINT'
        (Invoke-RestMethod -Uri "$control/calls").total | Should -Be $before -Because 'nothing was sent anywhere'
    }

    It 'reads ~/.ovh.conf' {
        $homeDir = New-Item -ItemType Directory (Join-Path $TestDrive 'home')
        New-OvhConf (Join-Path $homeDir '.ovh.conf')
        $output = Invoke-ChildPwsh "(Get-ExchangeAccountState healthy@lab.test).Status" -Environment @{ HOME = "$homeDir" }
        $output | Should -Be 'Passed'
    }

    It 'prefers ./ovh.conf to ~/.ovh.conf, the environment to both, and parameters to all' {
        $homeDir = New-Item -ItemType Directory (Join-Path $TestDrive 'home2')
        $cwd = New-Item -ItemType Directory (Join-Path $TestDrive 'cwd2')
        New-OvhConf (Join-Path $homeDir '.ovh.conf') -Secret 'Wrong-Home-Secret-000000000000000'
        New-OvhConf (Join-Path $cwd 'ovh.conf')
        Invoke-ChildPwsh "(Get-ExchangeAccountState healthy@lab.test).Status" -Location $cwd -Environment @{ HOME = "$homeDir"; OVH_ENDPOINT = $api } | Should -Be 'Passed'

        New-OvhConf (Join-Path $cwd 'ovh.conf') -Secret 'Wrong-Cwd-Secret-0000000000000000'
        Invoke-ChildPwsh "(Get-ExchangeAccountState healthy@lab.test).Status" -Location $cwd -Environment @{ HOME = "$homeDir"; OVH_ENDPOINT = $api; OVH_APPLICATION_SECRET = $appSecret } | Should -Be 'Passed'

        $script = "(Get-ExchangeAccountState healthy@lab.test -ApplicationSecret (ConvertTo-SecureString '$appSecret' -AsPlainText -Force)).Status"
        Invoke-ChildPwsh $script -Location $cwd -Environment @{ HOME = "$homeDir"; OVH_ENDPOINT = $api; OVH_APPLICATION_SECRET = 'Wrong-Env-Secret-0000000000000000' } | Should -Be 'Passed'
    }

    It 'warns about incomplete credentials by name, and never prints the ones it has' {
        $output = Invoke-ChildPwsh "try { Get-ExchangeAccountState healthy@lab.test } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }" -Environment @{ OVH_APPLICATION_KEY = $appKey; OVH_APPLICATION_SECRET = $appSecret }
        $output[0] | Should -Be 'IncompleteOvhCredentials,ExchangeDiag.Commands.GetExchangeAccountStateCommand'
        $output[1] | Should -Match 'consumer key'
        $output -join "`n" | Should -Not -Match ([regex]::Escape($appSecret))
    }
}

Describe 'No OVHcloud or mailbox secret in any stream' {
    BeforeEach {
        Reset-Ovh
        Disconnect-ExchangeDiagOvh
    }

    # The test below ends connected: a test file run after this one must not find the session.
    AfterAll {
        Disconnect-ExchangeDiagOvh
    }

    It 'keeps the application secret, the consumer key and the mailbox password out of output, verbose, errors and JSON' {
        $params = Get-OvhParams
        $credential = [pscredential]::new('healthy@lab.test', (ConvertTo-Secure $mailboxPassword))
        $wrongPassword = [pscredential]::new('healthy@lab.test', (ConvertTo-Secure 'Wrong-Horse-9'))
        $wrongSecret = Get-OvhParams -Secret 'Wrong-Secret-0123456789abcdef0000'
        $unknownConsumer = Get-OvhParams -Consumer 'UnknownConsumerKey0123456789abcd'
        Set-OvhAccount spammer@lab.test spam 1234567
        Invoke-OvhControl rate-limit @{ calls = 1; retryAfterSeconds = 1 }

        $streams = @(
            Connect-ExchangeDiagOvh @params -Verbose *>&1
            Get-ExchangeAccountState healthy@lab.test, spammer@lab.test, nobody@lab.test, bad-address @params -Verbose -ErrorAction Continue *>&1
            Invoke-ExchangeDiagnosticOvh -Credential $credential @params -Verbose *>&1
            Invoke-ExchangeDiagnosticOvh -Credential $wrongPassword -Verbose *>&1
            Get-ExchangeAccountState healthy@lab.test @wrongSecret -Verbose *>&1
        )
        try { Connect-ExchangeDiagOvh @unknownConsumer -Verbose *>&1 | ForEach-Object { $streams += $_ } }
        catch { $streams += $_ }

        $streams.Count | Should -BeGreaterThan 10
        $text = foreach ($item in $streams) {
            "$item"
            if ($item -is [System.Management.Automation.ErrorRecord]) { $item.Exception.ToString(); "$($item.TargetObject)" }
            if ($item -is [ExchangeDiag.CheckResult] -or $item -is [ExchangeDiag.OvhConnection]) { $item | ConvertTo-Json -Depth 6 -EnumsAsStrings; $item | Format-List * | Out-String }
        }
        $all = $text -join "`n"
        $all | Should -Match 'OVHcloud API GET'   # the verbose lines were captured
        foreach ($secret in $secrets + 'Wrong-Secret-0123456789abcdef0000') {
            $all | Should -Not -Match ([regex]::Escape($secret))
        }
    }
}
