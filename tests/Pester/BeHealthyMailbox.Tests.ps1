# Should -BeHealthyMailbox, the Pester operator the module registers for infrastructure tests.

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force

    function New-Report([string] $Status, [string] $Culture = 'en-US') {
        # A report as Import-Clixml or ConvertFrom-Json gives it back: the operator reads properties only.
        $failed = $Status -in 'Failed', 'Error', 'Warning'
        [pscustomobject]@{
            EmailAddress = 'jane@contoso.com'
            Status       = $Status
            Verdict      = "The verdict of a $Status report."
            Culture      = $Culture
            Causes       = @(if ($failed) { [pscustomobject]@{ Cause = 'AccountBlockedForSpam'; Message = 'The account is blocked for spam.'; Remediation = 'Ask the provider to unblock it.' } })
            Results      = @(
                [pscustomobject]@{ Check = 'Mx'; Target = 'contoso.com'; Status = 'Passed'; Cause = 'None'; Message = 'The MX records are right.' }
                if ($failed) { [pscustomobject]@{ Check = 'SmtpSend'; Target = 'ex4.mail.ovh.net'; Status = $Status; Cause = 'AccountBlockedForSpam'; Message = '550 5.1.8 sender blocked' } }
                [pscustomobject]@{ Check = 'MailFlow'; Target = 'jane@contoso.com'; Status = 'Skipped'; Cause = 'None'; Message = 'Not run.' }
            )
        }
    }

    function Get-AssertionMessage([scriptblock] $Assertion) {
        try { & $Assertion; $null } catch { $_.Exception.Message }
    }
}

Describe 'Should -BeHealthyMailbox' {
    It 'is registered by Import-Module in a session where Pester is loaded, and again by -Force without an error' {
        Get-ShouldOperator | Where-Object Name -eq BeHealthyMailbox | Should -Not -BeNullOrEmpty
        { Import-Module $env:EXCHANGEDIAG_MODULE -Force -ErrorAction Stop } | Should -Not -Throw
        { Import-Module $env:EXCHANGEDIAG_MODULE -Force -ErrorAction Stop } | Should -Not -Throw
        New-Report Passed | Should -BeHealthyMailbox
    }

    It 'passes on a Passed report' {
        New-Report Passed | Should -BeHealthyMailbox
    }

    It 'fails on a <_> report, naming the verdict, the causes with their remediation and the checks that did not pass' -ForEach 'Failed', 'Error' {
        $status = $_
        $message = Get-AssertionMessage { New-Report $status | Should -BeHealthyMailbox -Because 'it is the CEO''s mailbox' }
        $lines = $message -split '\r?\n'
        $lines[0] | Should -Be "Expected jane@contoso.com to be healthy because it is the CEO's mailbox, but its diagnosis is ${status}: The verdict of a $status report."
        $lines | Should -Contain '  cause AccountBlockedForSpam: The account is blocked for spam. Remediation: Ask the provider to unblock it.'
        $lines | Should -Contain "  check SmtpSend ex4.mail.ovh.net: $status (AccountBlockedForSpam) - 550 5.1.8 sender blocked"
        $message | Should -Not -Match 'check Mx|check MailFlow' -Because 'passed and skipped checks are no failure'
    }

    It 'fails on a Warning report unless -AllowWarning, and says so' {
        Get-AssertionMessage { New-Report Warning | Should -BeHealthyMailbox } | Should -Match '(?s)its diagnosis is Warning: .*-AllowWarning accepts a Warning report'
        New-Report Warning | Should -BeHealthyMailbox -AllowWarning
        New-Report Failed | Should -Not -BeHealthyMailbox -AllowWarning
    }

    It 'is negated by -Not' {
        New-Report Failed | Should -Not -BeHealthyMailbox
        Get-AssertionMessage { New-Report Passed | Should -Not -BeHealthyMailbox } |
            Should -Be 'Expected jane@contoso.com not to be healthy, but its diagnosis is Passed: The verdict of a Passed report.'
    }

    It 'fails on every unhealthy report of several' {
        $message = Get-AssertionMessage { @((New-Report Passed), (New-Report Failed), (New-Report Error)) | Should -BeHealthyMailbox }
        ([regex]::Matches($message, 'Expected jane@contoso.com to be healthy')).Count | Should -Be 2
    }

    It 'fails with a readable message on what is not a report' {
        Get-AssertionMessage { 'jane@contoso.com' | Should -BeHealthyMailbox } |
            Should -Be "Expected a report of Invoke-ExchangeDiagnostic, but got: System.String 'jane@contoso.com'"
        Get-AssertionMessage { $null | Should -BeHealthyMailbox } | Should -Match 'but got: \$null'
    }

    It 'words its message in French for a report in French' {
        Get-AssertionMessage { New-Report Failed fr-FR | Should -BeHealthyMailbox } |
            Should -Match '^Attendu : jane@contoso.com en bon état, mais son diagnostic est Échec : (?s).*Marche à suivre : '
    }

    # Issue 12: the status words of a French message are the French views' (Réussi, Avertissement, Échec, Erreur).
    It 'writes the status of a French <Status> report and of its checks in French: <Word>' -ForEach @(
        @{ Status = 'Failed'; Word = 'Échec' }
        @{ Status = 'Error'; Word = 'Erreur' }
        @{ Status = 'Warning'; Word = 'Avertissement' }
    ) {
        $lines = (Get-AssertionMessage { New-Report $Status fr-FR | Should -BeHealthyMailbox }) -split '\r?\n'
        $lines[0] | Should -BeExactly "Attendu : jane@contoso.com en bon état, mais son diagnostic est $Word : The verdict of a $Status report."
        $lines | Should -Contain "  vérification SmtpSend ex4.mail.ovh.net : $Word (AccountBlockedForSpam) - 550 5.1.8 sender blocked"
        if ($Status -eq 'Warning') { $lines | Should -Contain '  (-AllowWarning accepte un rapport en Avertissement)' }
        Get-AssertionMessage { New-Report Passed fr-FR | Should -Not -BeHealthyMailbox } |
            Should -BeExactly 'Attendu : jane@contoso.com pas en bon état, mais son diagnostic est Réussi : The verdict of a Passed report.'
    }
}

Describe 'Should -BeHealthyMailbox in a fresh session' {
    It 'is registered when Pester is imported <Order>' -ForEach @(
        @{ Order = 'before the module'; Script = "Import-Module '{1}'; Import-Module '{0}'" }
        @{ Order = 'after the module, once a cmdlet has run'; Script = "Import-Module '{0}'; Import-Module '{1}'; `$null = Test-ExchangeMx -Domain 'not..a.domain' -ErrorAction SilentlyContinue" }
    ) {
        $pester = [IO.Path]::Combine($env:EXCHANGEDIAG_REPO, '.tools', 'packages', 'pester', '5.7.1', 'tools', 'Pester.psd1')
        $setup = $Script -f $env:EXCHANGEDIAG_MODULE, $pester
        $output = & dotnet pwsh -NoProfile -NonInteractive -Command "$setup; [pscustomobject]@{ EmailAddress = 'a@b.c'; Status = 'Passed'; Verdict = 'ok'; Causes = @(); Results = @() } | Should -BeHealthyMailbox; 'REGISTERED'" 2>&1
        $output | Should -Contain 'REGISTERED' -Because ($output | Out-String)
    }
}

Describe 'Should -BeHealthyMailbox in a second runspace of this process' {
    It 'is registered when that runspace imports Pester after a cmdlet has run there (Pester''s assembly already loaded by this one)' {
        $pester = [IO.Path]::Combine($env:EXCHANGEDIAG_REPO, '.tools', 'packages', 'pester', '5.7.1', 'tools', 'Pester.psd1')
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                param($module, $pester)
                Import-Module $module
                $null = Test-ExchangeMx -Domain 'not..a.domain' -ErrorAction SilentlyContinue    # no Pester here yet
                Import-Module $pester
                $null = Test-ExchangeMx -Domain 'not..a.domain' -ErrorAction SilentlyContinue
                [pscustomobject]@{ EmailAddress = 'a@b.c'; Status = 'Passed'; Verdict = 'ok'; Causes = @(); Results = @() } | Should -BeHealthyMailbox
                'REGISTERED'
            }).AddArgument($env:EXCHANGEDIAG_MODULE).AddArgument($pester)
            $output = $ps.Invoke()
            $output | Should -Contain 'REGISTERED' -Because (($ps.Streams.Error | Out-String) + ($output | Out-String))
        }
        finally {
            $ps.Dispose()
        }
    }
}
