# The scripts of docs/examples, run as users run them (each in a fresh pwsh) against the lab.

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabHelpers.ps1')
    $script:examples = Join-Path $env:EXCHANGEDIAG_REPO 'docs/examples'
    $script:credentials = Join-Path $TestDrive 'creds'
    $null = New-Item -ItemType Directory -Path $credentials
    foreach ($user in 'healthy@post.lab.test', 'spammer@post.lab.test') {
        New-LabCredential $user | Export-Clixml -Path (Join-Path $credentials "$user.xml")
    }
}

Describe 'The scheduled-task example' {
    BeforeEach { Reset-Lab }

    It 'writes a report per mailbox and exits 1 when one is unhealthy' {
        $csv = Join-Path $TestDrive 'mailboxes.csv'
        @('EmailAddress', 'healthy@post.lab.test', 'spammer@post.lab.test') | Set-Content $csv
        $reports = Join-Path $TestDrive 'reports'
        $output = & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $examples 'Invoke-ScheduledMailboxDiagnosis.ps1') -MailboxCsv $csv `
            -CredentialDirectory $credentials -ReportDirectory $reports -DnsServer $dns -ModulePath $env:EXCHANGEDIAG_MODULE -SkipMailFlow 2>&1
        $LASTEXITCODE | Should -Be 1 -Because ($output -join "`n")
        ($output -join "`n") | Should -Match 'spammer@post.lab.test\s+Failed\s+AccountBlockedForSpam'
        (Get-ChildItem $reports).Name | Sort-Object | Should -Be @(
            'healthy@post.lab.test.html', 'healthy@post.lab.test.json', 'spammer@post.lab.test.html', 'spammer@post.lab.test.json')
    }

    It 'exits 0 when every mailbox is healthy' {
        $csv = Join-Path $TestDrive 'healthy.csv'
        @('EmailAddress', 'healthy@post.lab.test') | Set-Content $csv
        $output = & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $examples 'Invoke-ScheduledMailboxDiagnosis.ps1') -MailboxCsv $csv `
            -CredentialDirectory $credentials -ReportDirectory (Join-Path $TestDrive 'reports2') -DnsServer $dns -ModulePath $env:EXCHANGEDIAG_MODULE 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
    }

    It 'exits 2 when a mailbox could not be diagnosed because this computer''s DNS server is dead' {
        $csv = Join-Path $TestDrive 'healthy.csv'
        @('EmailAddress', 'healthy@post.lab.test') | Set-Content $csv
        $output = & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $examples 'Invoke-ScheduledMailboxDiagnosis.ps1') -MailboxCsv $csv `
            -CredentialDirectory $credentials -ReportDirectory (Join-Path $TestDrive 'reports3') -DnsServer 127.0.0.99:5300 -TimeoutSeconds 3 `
            -ModulePath $env:EXCHANGEDIAG_MODULE -SkipMailFlow 2>&1
        $LASTEXITCODE | Should -Be 2 -Because ($output -join "`n")
        ($output -join "`n") | Should -Match 'healthy@post.lab.test\s+Error\s+LocalDnsFailure'
    }

    It 'exits 3 before diagnosing anything when <Problem>' -ForEach @(
        @{ Problem = 'the CSV has no EmailAddress column'; Lines = @('Mail', 'healthy@post.lab.test'); Says = 'no EmailAddress column' }
        @{ Problem = 'a credential file is missing'; Lines = @('EmailAddress', 'healthy@post.lab.test', 'nobody@post.lab.test'); Says = 'no credential file .*nobody@post.lab.test.xml' }
        @{ Problem = 'an address is not one'; Lines = @('EmailAddress', 'healthy.post.lab.test'); Says = 'is not an e-mail address' }
    ) {
        $csv = Join-Path $TestDrive 'bad.csv'
        $Lines | Set-Content $csv
        $reports = Join-Path $TestDrive 'reports4'
        $output = & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $examples 'Invoke-ScheduledMailboxDiagnosis.ps1') -MailboxCsv $csv `
            -CredentialDirectory $credentials -ReportDirectory $reports -DnsServer $dns -ModulePath $env:EXCHANGEDIAG_MODULE 2>&1
        $LASTEXITCODE | Should -Be 3 -Because ($output -join "`n")
        ($output -join "`n") | Should -Match $Says
        Test-Path $reports | Should -BeFalse -Because 'nothing was diagnosed'
    }
}

Describe 'The Nagios mapping of about_ExchangeDiag' {
    BeforeAll {
        # The snippet exactly as the help shows it, run as a monitoring plugin would run it.
        $about = Get-Content (Join-Path $env:EXCHANGEDIAG_REPO 'docs/en-US/about_ExchangeDiag.md') -Raw -Encoding utf8
        $script:plugin = [regex]::Match($about, '(?s)Nagios.*?```powershell\r?\n(.*?)```').Groups[1].Value
    }

    It 'prints <State> and exits <Code> for <Case>' -ForEach @(
        @{ Case = 'a healthy mailbox'; User = 'healthy@post.lab.test'; State = 'OK'; Code = 0 }
        @{ Case = 'a mailbox blocked for spam'; User = 'spammer@post.lab.test'; State = 'CRITICAL'; Code = 2 }
        @{ Case = 'a dead DNS server'; User = 'healthy@post.lab.test'; DeadDns = $true; State = 'UNKNOWN'; Code = 3 }
    ) {
        Reset-Lab
        $plugin | Should -Match 'exit \$state'
        $user = $User
        $DnsServer = if ($DeadDns) { '127.0.0.99:5300' } else { $dns }
        $script = @"
Import-Module '$env:EXCHANGEDIAG_MODULE'
`$PSDefaultParameterValues = @{ 'Invoke-ExchangeDiagnostic:DnsServer' = '$DnsServer'; 'Invoke-ExchangeDiagnostic:TimeoutSeconds' = 3; 'Invoke-ExchangeDiagnostic:SkipMailFlow' = `$true }
`$credential = Import-Clixml '$credentials/$user.xml'
$($plugin.Replace('jane.doe@contoso.com', $user))
"@
        $output = & dotnet pwsh -NoProfile -NonInteractive -Command $script 2>&1
        $LASTEXITCODE | Should -Be $Code -Because ($output -join "`n")
        ($output -join "`n") | Should -Match "^$State - "
    }
}

Describe 'The infrastructure Pester example' {
    It 'passes for a healthy mailbox and fails for a blocked one with a message naming the cause' {
        Reset-Lab
        $summary = Join-Path $TestDrive 'summary.json'
        $pester = [IO.Path]::Combine($env:EXCHANGEDIAG_REPO, '.tools', 'packages', 'pester', '5.7.1', 'tools', 'Pester.psd1')
        $script = @"
Import-Module '$pester'
`$data = @{
    Mailbox    = @(
        @{ EmailAddress = 'healthy@post.lab.test'; CredentialPath = '$credentials/healthy@post.lab.test.xml' }
        @{ EmailAddress = 'spammer@post.lab.test'; CredentialPath = '$credentials/spammer@post.lab.test.xml' }
    )
    DnsServer  = '$dns'
    ModulePath = '$env:EXCHANGEDIAG_MODULE'
}
`$config = New-PesterConfiguration
`$config.Run.Container = New-PesterContainer -Path '$examples/Mailbox.Tests.ps1' -Data `$data
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'None'
`$run = Invoke-Pester -Configuration `$config
`$run.Tests | ForEach-Object { [pscustomobject]@{ Name = `$_.ExpandedPath; Result = `$_.Result; Message = "`$(`$_.ErrorRecord)" } } |
    ConvertTo-Json | Set-Content '$summary'
"@
        & dotnet pwsh -NoProfile -NonInteractive -Command $script
        $tests = Get-Content $summary -Raw | ConvertFrom-Json
        $healthy = $tests | Where-Object Name -like '*healthy@post.lab.test*'
        $healthy.Result | Sort-Object -Unique | Should -Be 'Passed'
        $blocked = $tests | Where-Object Name -like '*spammer@post.lab.test*is healthy'
        $blocked.Result | Should -Be 'Failed'
        $blocked.Message | Should -Match 'Expected spammer@post.lab.test to be healthy, but AccountBlockedForSpam: .* Remediation: '
    }
}
