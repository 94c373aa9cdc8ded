# Test-ExchangeEwsLogin against the Exchange emulator.

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    . (Join-Path $PSScriptRoot 'LabHelpers.ps1')
}

Describe 'Test-ExchangeEwsLogin' {
    BeforeEach {
        Reset-Lab
    }

    It 'opens the inbox and reports the server version' {
        $result = Test-ExchangeEwsLogin -Server ex1.lab.test -Credential (New-LabCredential healthy@lab.test) -DnsServer $dns
        $result.Status | Should -Be 'Passed'
        $result.ServerVersion | Should -Be '15.1.2507.6'
        $result.StatusCode | Should -Be 200
        $result.BackEndServer | Should -Be 'EXLAB01.lab.test'
        $result.Url | Should -Be 'https://ex1.lab.test/EWS/Exchange.asmx'
    }

    It 'logs in at the EWS URL that Test-ExchangeAutodiscover piped to it, never at its Server' {
        $credential = New-LabCredential healthy@lab.test
        $result = Test-ExchangeAutodiscover -EmailAddress user@ad-root.lab.test -Credential $credential -DnsServer $dns |
            Test-ExchangeEwsLogin -Credential $credential -DnsServer $dns
        $result.Status | Should -Be 'Passed'
        $result.Url | Should -Be 'https://ex1.lab.test/EWS/Exchange.asmx'

        $internal = Get-LabDiscovery @{ Server = 'exlab01.corp.invalid' } | Test-ExchangeEwsLogin -Credential $credential -DnsServer $dns
        $internal.Status | Should -Be 'Passed'
        $internal.Url | Should -Be 'https://ex1.lab.test/EWS/Exchange.asmx'
    }

    It 'logs in at the EWS URL of a deserialized discovery (Import-Clixml, ConvertFrom-Json), never at its Server' {
        $credential = New-LabCredential healthy@lab.test
        $discovery = Get-LabDiscovery @{ Server = 'exlab01.corp.invalid' }
        $file = Join-Path $TestDrive 'discovery.xml'
        $discovery | Export-Clixml $file
        foreach ($deserialized in (Import-Clixml $file), ($discovery | ConvertTo-Json -Depth 5 | ConvertFrom-Json)) {
            $result = $deserialized | Test-ExchangeEwsLogin -Credential $credential -DnsServer $dns
            $result.Status | Should -Be 'Passed'
            $result.Url | Should -Be 'https://ex1.lab.test/EWS/Exchange.asmx'
        }
    }

    It 'does not send again a password a deserialized Autodiscover saw refused' {
        Reset-Lab
        $wrong = New-LabCredential lockme@lab.test 'Wrong-Horse-9'
        $file = Join-Path $TestDrive 'refused.xml'
        Test-ExchangeAutodiscover -EmailAddress user@ad-401.lab.test -Credential $wrong -DnsServer $dns | Export-Clixml $file
        $before = (Get-LabAccount lockme@lab.test).failedLogins
        $result = Import-Clixml $file | Test-ExchangeEwsLogin -Credential $wrong -DnsServer $dns -ErrorVariable refused -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $refused.FullyQualifiedErrorId | Should -Be 'CredentialRefused,ExchangeDiag.Commands.TestExchangeEwsLoginCommand'
        (Get-LabAccount lockme@lab.test).failedLogins | Should -Be $before
    }

    It 'does not send again a password the piped Autodiscover saw refused' {
        Reset-Lab
        $wrong = New-LabCredential lockme@lab.test 'Wrong-Horse-9'
        $discovery = Test-ExchangeAutodiscover -EmailAddress user@ad-401.lab.test -Credential $wrong -DnsServer $dns
        $discovery.CredentialRefused | Should -BeTrue
        $before = (Get-LabAccount lockme@lab.test).failedLogins
        $result = $discovery | Test-ExchangeEwsLogin -Credential $wrong -DnsServer $dns -ErrorVariable refused -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $refused.FullyQualifiedErrorId | Should -Be 'CredentialRefused,ExchangeDiag.Commands.TestExchangeEwsLoginCommand'
        $refused[0].Exception.Message | Should -Match 'not retried, to stay clear of the lockout policy'
        (Get-LabAccount lockme@lab.test).failedLogins | Should -Be $before
    }

    It 'reports 401 as WebmailAuthFailed' {
        $result = Test-ExchangeEwsLogin -Server ex1.lab.test -Credential (New-LabCredential healthy@lab.test 'Wrong-Horse-9') -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be 'WebmailAuthFailed'
        $result.StatusCode | Should -Be 401
    }

    It 'reports the lockout text as AccountLocked' {
        $result = Test-ExchangeEwsLogin -Server ex1.lab.test -Credential (New-LabCredential locked@lab.test) -DnsServer $dns
        $result.Cause | Should -Be 'AccountLocked'
    }

    It 'reports 456 (Exchange Online: locked or MFA required) as AccountLocked with a step and a clear message, not NotExchange' {
        $result = Test-ExchangeEwsLogin -Server online.lab.test -Credential (New-LabCredential locked@lab.test) -DnsServer $dns
        $result.Status | Should -Be 'Failed'
        $result.Cause | Should -Be 'AccountLocked'
        $result.StatusCode | Should -Be 456
        $result.CredentialRefused | Should -BeTrue
        $result.Message | Should -Match 'locked, or multi-factor authentication is required'
        ($result.Steps | Where-Object Name -eq 'Account state').Status | Should -Be 'Failed'
        $result.Remediation | Should -Match 'multi-factor'
    }

    It 'reports a 5xx with X-CasErrorCode as Error ServerError' {
        $result = Test-ExchangeEwsLogin -Server broken.lab.test -Credential (New-LabCredential healthy@lab.test) -DnsServer $dns
        $result.Status | Should -Be 'Error'
        $result.Cause | Should -Be 'ServerError'
        $result.Message | Should -Match 'BackEndLocatorFailed'
    }

    It 'calls a web server that is not Exchange NotExchange' {
        (Test-ExchangeEwsLogin -Server www.lab.test -Credential (New-LabCredential healthy@lab.test) -DnsServer $dns).Cause | Should -Be 'NotExchange'
    }

    It 'returns $true or $false with -Quiet' {
        $answers = 'ex1.lab.test', 'broken.lab.test' | Test-ExchangeEwsLogin -Credential (New-LabCredential healthy@lab.test) -DnsServer $dns -Quiet
        $answers | Should -Be @($true, $false)
    }
}
