# Invoke-ExchangeDiagnostic and New-ExchangeSupportTicket with the OVHcloud API emulator: the
# provider's facts join the diagnosis, its own diagnosis sits beside ours, and a report becomes a ticket.

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    . (Join-Path $PSScriptRoot 'LabHelpers.ps1')
    $script:ovhControl = "$env:EXCHANGEDIAG_LAB_CONTROL/ovh"
    $lab = (Get-Content (Join-Path $env:EXCHANGEDIAG_REPO 'tests/lab/exchange-lab.json') -Raw | ConvertFrom-Json).ovhApi
    $script:ovh = @{
        Endpoint          = $env:EXCHANGEDIAG_LAB_OVH
        ApplicationKey    = $lab.applicationKey
        ApplicationSecret = ConvertTo-SecureString $lab.applicationSecret -AsPlainText -Force
        ConsumerKey       = ConvertTo-SecureString $lab.consumerKey -AsPlainText -Force
    }
    $script:secrets = @($lab.applicationSecret, $lab.consumerKey, 'Correct-Horse-1')

    function Invoke-OvhControl([string] $Path, [hashtable] $Body = @{}) {
        $null = Invoke-RestMethod -Method Post -Uri "$ovhControl/$Path" -Body ($Body | ConvertTo-Json) -ContentType application/json
    }
    function Get-OvhCalls { (Invoke-RestMethod -Uri "$ovhControl/calls").byCall }
}

Describe 'Invoke-ExchangeDiagnostic with the provider''s API' {
    BeforeAll { Connect-ExchangeDiagOvh @ovh | Out-Null }
    AfterAll { Disconnect-ExchangeDiagOvh }
    BeforeEach { Reset-Lab; Invoke-OvhControl reset }

    It 'adds the provider''s account state to the results when a session is open' {
        $report = Invoke-ExchangeDiagnostic healthy@post.lab.test -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns -SkipMailFlow
        $state = $report.Results | Where-Object Check -eq AccountState
        $state | Should -Not -BeNullOrEmpty
        $state.Status | Should -Be 'Passed'
        $state.Service | Should -Be 'hosted-lab-3'
        $report.Passed | Should -BeTrue
    }

    It 'puts the provider''s fact first: a spam block it states outranks working protocols' {
        Invoke-OvhControl 'accounts/healthy@post.lab.test' @{ state = 'spam'; spamTicketNumber = 7654321 }
        $report = Invoke-ExchangeDiagnostic healthy@post.lab.test -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns -SkipMailFlow
        $report.Causes[0].Cause | Should -Be 'AccountBlockedForSpam'
        $report.Causes[0].Evidence -join ' ' | Should -Match '^AccountState '
        ($report.Results | Where-Object Check -eq AccountState).Remediation | Should -Match '7654321'
    }

    It 'treats an API outage as a Warning: the mailbox itself is fine' {
        Invoke-OvhControl outage @{ status = 503 }
        $report = Invoke-ExchangeDiagnostic healthy@post.lab.test -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns -SkipMailFlow -TimeoutSeconds 5
        ($report.Results | Where-Object Check -eq AccountState).Status | Should -Be 'Warning'
        $report.Passed | Should -BeTrue
        $report.Causes | Should -BeNullOrEmpty
    }

    It 'runs the provider''s diagnosis with -ProviderDiagnosis and sets its answers beside ours' {
        $report = Invoke-ExchangeDiagnostic healthy@post.lab.test -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns -ProviderDiagnosis
        $provider = $report.ProviderDiagnosis
        $provider.Status | Should -Be 'Passed'
        $provider.IsMxValid | Should -BeTrue
        $provider.CanReceiveEmail | Should -BeTrue
        $provider.Disagreements | Should -BeNullOrEmpty
        (Get-OvhCalls).PSObject.Properties.Name -like 'GET */tasks/*' | Should -Not -BeNullOrEmpty -Because 'the task was polled'
    }

    It 'flags where the provider and ExchangeDiag disagree' {
        Invoke-OvhControl 'domains/post.lab.test' @{ mxIsValid = $false }
        $report = Invoke-ExchangeDiagnostic healthy@post.lab.test -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns -SkipMailFlow -ProviderDiagnosis
        $report.ProviderDiagnosis.IsMxValid | Should -BeFalse
        $report.ProviderDiagnosis.Disagreements | Should -Match '^isMxValid: the provider says false, ExchangeDiag found true'
    }

    It 'looks up the DKIM selectors the provider made for the domain, which no guess would find' {
        $report = Invoke-ExchangeDiagnostic healthy@post.lab.test -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns -SkipMailFlow
        ($report.Results | Where-Object Check -eq AccountState).DomainDkimSelectors | Should -Be @('ovhex1234-selector1', 'ovhex1234-selector2')
        $dkim = $report.Results | Where-Object Check -eq Dkim
        $dkim.SelectorsTried[0..1] | Should -Be @('ovhex1234-selector1', 'ovhex1234-selector2')
        $dkim.Status | Should -Be 'Passed'
        $dkim.Keys[0].AliasOf | Should -Match 'dkim\.mail\.ovh\.net$' -Because 'the selector is a CNAME to the provider, as its guide publishes it'
        $report.Status | Should -Be 'Passed'
    }

    It 'passes DKIM when one of the provider''s selectors is published and the spare one is not (no key rotation yet)' {
        Invoke-OvhControl 'domains/post.lab.test' @{ dkimSelectors = @('ovhex1234-selector1', 'ovhex9999-selector2') }
        $report = Invoke-ExchangeDiagnostic healthy@post.lab.test -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns -SkipMailFlow
        $dkim = $report.Results | Where-Object Check -eq Dkim
        $dkim.Status | Should -Be 'Passed'
        $dkim.Keys.Selector | Should -Contain 'ovhex1234-selector1'
        $report.Status | Should -Be 'Passed'
    }

    It 'adds the provider''s DKIM state to the evidence when no DKIM key is found' {
        Invoke-OvhControl 'domains/post.lab.test' @{ dkimState = 'error' }
        $report = Invoke-ExchangeDiagnostic healthy@post.lab.test -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns -SkipMailFlow -DkimSelector no-such-selector
        $state = $report.Results | Where-Object Check -eq AccountState
        $state.DomainDkimState | Should -Be 'error'
        $state.Status | Should -Be 'Warning'
        $dkim = $report.Causes | Where-Object Cause -eq 'DkimMissing'
        $dkim.Evidence -join ' ' | Should -Match 'AccountState .*DKIM'
        $report.Status | Should -Be 'Warning' -Because 'the mailbox itself works'
    }

    It 'reads the provider''s spfIsValid, a second opinion beside the SPF check' {
        Invoke-OvhControl 'domains/post.lab.test' @{ spfIsValid = $false }
        $report = Invoke-ExchangeDiagnostic healthy@post.lab.test -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns -SkipMailFlow
        $state = $report.Results | Where-Object Check -eq AccountState
        $state.DomainSpfValid | Should -BeFalse
        $state.Cause | Should -Be 'SpfInvalid'
        $state.Status | Should -Be 'Warning'
        $state.Message | Should -Match 'include:mx\.ovh\.com'
        ($report.Results | Where-Object Check -eq Spf).Status | Should -Be 'Passed' -Because 'the published record is right: the provider''s view is a second opinion'
        $report.Status | Should -Be 'Warning'
        $report.Causes | Should -BeNullOrEmpty
    }

    It 'leaves the OVHcloud API out for -Provider Microsoft365, and refuses -ProviderDiagnosis for it' {
        $report = Invoke-ExchangeDiagnostic healthy@post.lab.test -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns -SkipMailFlow -SkipDomainAuthentication -Provider Microsoft365
        $report.Provider | Should -Be 'Microsoft365'
        $report.Results | Where-Object Check -eq AccountState | Should -BeNullOrEmpty
        @((Get-OvhCalls).PSObject.Properties.Name) -like '*/email/exchange/*' | Should -BeNullOrEmpty -Because 'Microsoft 365 has no OVHcloud account'
        { Invoke-ExchangeDiagnostic healthy@post.lab.test -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns -Provider Microsoft365 -ProviderDiagnosis -ErrorAction Stop } |
            Should -Throw -ErrorId 'ProviderDiagnosisNotAvailable*'
    }

    It 'does not send a refused password to the provider''s diagnosis' {
        $report = Invoke-ExchangeDiagnostic healthy@post.lab.test -Credential (New-LabCredential healthy@post.lab.test 'Wrong-Horse-9') -DnsServer $dns -ProviderDiagnosis
        $report.ProviderDiagnosis.Status | Should -Be 'Skipped'
        $report.Causes[0].Cause | Should -Be 'WrongPassword'
        (Get-OvhCalls).PSObject.Properties.Name -like 'POST *diagnostics' | Should -BeNullOrEmpty
    }
}

Describe 'Invoke-ExchangeDiagnostic -ProviderDiagnosis without API credentials' {
    It 'stops with NoOvhCredentials' {
        Disconnect-ExchangeDiagOvh
        { Invoke-ExchangeDiagnostic healthy@post.lab.test -Credential (New-LabCredential healthy@post.lab.test) -DnsServer $dns -ProviderDiagnosis -ErrorAction Stop } |
            Should -Throw -ErrorId 'NoOvhCredentials*'
    }
}

Describe 'New-ExchangeSupportTicket' {
    BeforeAll {
        Reset-Lab
        Invoke-OvhControl reset
        Connect-ExchangeDiagOvh @ovh | Out-Null
        $script:report = Invoke-ExchangeDiagnostic spammer@post.lab.test -Credential (New-LabCredential spammer@post.lab.test) -DnsServer $dns -SkipMailFlow
    }
    AfterAll { Disconnect-ExchangeDiagOvh }

    It 'prints what would be sent with -WhatIf, and sends nothing' {
        # -WhatIf writes to the host, which only a transcript records.
        $transcript = Join-Path $TestDrive 'whatif.txt'
        $null = Start-Transcript -Path $transcript
        try { $report | New-ExchangeSupportTicket -WhatIf }
        finally { $null = Stop-Transcript }
        $said = Get-Content $transcript -Raw
        $said | Should -Match "Exchange mailbox spammer@post.lab.test: AccountBlockedForSpam"
        $said | Should -Match 'category assistance, service hosted-lab-3'
        $said | Should -Match ([regex]::Escape($report.Verdict))
        @((Invoke-RestMethod -Uri "$ovhControl/tickets")).Count | Should -Be 0
    }

    It 'creates the ticket with the report in Markdown as its body, and no secret in it' {
        $ticket = $report | New-ExchangeSupportTicket -Category incident -Confirm:$false
        $ticket.TicketNumber | Should -BeGreaterThan 0
        $sent = @(Invoke-RestMethod -Uri "$ovhControl/tickets")[-1]
        $sent.product | Should -Be 'exchange'
        $sent.category | Should -Be 'incident'
        $sent.serviceName | Should -Be 'hosted-lab-3'
        $sent.body | Should -Match '# '
        $sent.body | Should -Match 'AccountBlockedForSpam'
        foreach ($secret in $secrets) { $sent.body | Should -Not -Match ([regex]::Escape($secret)) }
    }
}
