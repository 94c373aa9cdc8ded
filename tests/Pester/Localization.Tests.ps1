# The same failing checks in French and in English: the Message and Remediation follow the
# PowerShell UI culture and are the texts of src/ExchangeDiag.Core/Resources/Messages*.resx;
# step details stay an English trace. French.Tests.ps1 holds everything else a French run shows.

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    . (Join-Path $PSScriptRoot 'LabHelpers.ps1')

    $resources = Join-Path $env:EXCHANGEDIAG_REPO 'src/ExchangeDiag.Core/Resources'
    $script:texts = @{}
    foreach ($language in 'en', 'fr') {
        $file = if ($language -eq 'en') { 'Messages.resx' } else { "Messages.$language.resx" }
        $table = @{}
        foreach ($data in ([xml](Get-Content -Raw -Encoding utf8 (Join-Path $resources $file))).root.data) {
            $table[$data.name] = $data.value
        }
        $script:texts[$language] = $table
    }

    # A resource text with its placeholders filled in, the way the module formats it.
    function Format-Text([string] $Language, [string] $Key) {
        $culture = if ($Language -eq 'fr') { [cultureinfo]'fr-FR' } else { [cultureinfo]'en-US' }
        [string]::Format($culture, $script:texts[$Language][$Key], [object[]]$args)
    }

    # The OVHcloud MX hosts as the remediation lists them, in one language.
    function Format-OvhMx([string] $Language) {
        $hosts = @(@('mx0', 1), @('mx1', 5), @('mx2', 50), @('mx3', 100), @('mx4', 200))
        ($hosts | ForEach-Object { Format-Text $Language 'Mx_Advice_Record' "$($_[0]).mail.ovh.net" $_[1] }) -join ', '
    }
}

Describe 'Messages in the PowerShell UI culture' {
    It 'has a French text for every English key' {
        $script:texts['fr'].Keys | Sort-Object | Should -Be ($script:texts['en'].Keys | Sort-Object)
    }

    Context 'a domain whose MX points elsewhere (Test-ExchangeMx)' {
        BeforeAll {
            $check = { Test-ExchangeMx -Domain ovh-foreign.lab.test -Provider OvhEurope -DnsServer $dns }
            $script:french = Invoke-InCulture 'fr-FR' $check
            $script:english = Invoke-InCulture 'en-US' $check
        }

        It 'reaches the same verdict in both languages' {
            $french.Status | Should -Be 'Failed'
            $french.Cause | Should -Be 'MxInvalid'
            $english.Status | Should -Be $french.Status
            $french.Steps.Count | Should -Be $english.Steps.Count
        }

        It 'writes the Message and Remediation from the French resources' {
            $others = @($french.Steps | Where-Object Name -eq 'Finding').Count - 1
            $stranger = Format-Text fr 'Mx_Stranger' 'mx.other.test' (Format-Text fr 'MxHost_Provider' 'OVHcloud Exchange')
            $expected = if ($others -gt 0) { Format-Text fr 'Verdict_MoreFindings' $stranger.TrimEnd('.') $others } else { $stranger }
            $french.Message | Should -BeExactly $expected
            $french.Message | Should -BeLike 'Le MX pointe vers mx.other.test, *'
            $french.Remediation | Should -BeExactly (Format-Text fr 'Mx_Stranger_Remediation' 'mx.other.test' 'ovh-foreign.lab.test' (Format-OvhMx fr))
        }

        It 'writes them in English under an English culture, as before' {
            $english.Message | Should -BeLike 'MX points to mx.other.test, which is not an OVHcloud Exchange MX host*'
            $english.Remediation | Should -BeExactly (Format-Text en 'Mx_Stranger_Remediation' 'mx.other.test' 'ovh-foreign.lab.test' (Format-OvhMx en))
            $english.Message | Should -Not -Be $french.Message
            $english.Remediation | Should -Not -Be $french.Remediation
        }

        It 'keeps the step details of DNS queries in English' {
            ($french.Steps | Where-Object Name -eq 'MX lookup').Detail | Should -Match 'asked of .*answer\(s\) in'
        }
    }

    Context 'a domain without MX records' {
        It 'gives the French texts word for word' {
            $result = Invoke-InCulture 'fr-FR' { Test-ExchangeMx -Domain nomx.lab.test -Provider OvhEurope -DnsServer $dns }
            $result.Message | Should -BeExactly (Format-Text fr 'Mx_NoRecord' 'nomx.lab.test')
            $result.Remediation | Should -BeExactly (Format-Text fr 'Mx_NoRecord_Remediation' 'nomx.lab.test' (Format-OvhMx fr))
            $result.Message | Should -Not -Be (Format-Text en 'Mx_NoRecord' 'nomx.lab.test')
        }
    }

    Context 'a refused credential, then an input not tried (Test-ExchangeOwaLogin)' {
        BeforeEach {
            Reset-Lab
        }

        It 'explains the refusal and the skipped input in French' {
            $wrong = New-LabCredential healthy@lab.test 'Wrong-Horse-9'
            $results = Invoke-InCulture 'fr-FR' { Test-ExchangeOwaLogin -Server ex1.lab.test, legacy.lab.test -Credential $wrong -DnsServer $dns }
            $results[0].Cause | Should -Be 'WebmailAuthFailed'
            $results[0].Remediation | Should -BeExactly (Format-Text fr 'Advice_WrongPassword')
            $results[0].Message | Should -BeLike 'OWA sur ex1.lab.test a refusé les identifiants de healthy@lab.test : *'
            $results[1].Status | Should -Be 'Skipped'
            $results[1].Message | Should -BeExactly (Format-Text fr 'Skipped_CredentialRefused' 'https://ex1.lab.test/owa/' 'healthy@lab.test')
            $results[1].Remediation | Should -BeExactly (Format-Text fr 'Skipped_FixFirst')
        }
    }

    Context 'the culture of the session' {
        It 'is left as it was after a check in another culture' {
            $before = [cultureinfo]::CurrentUICulture.Name
            $null = Invoke-InCulture 'fr-FR' { Test-ExchangeMx -Domain nomx.lab.test -DnsServer $dns }
            [cultureinfo]::CurrentUICulture.Name | Should -Be $before
            $language = if ([cultureinfo]::CurrentUICulture.TwoLetterISOLanguageName -eq 'fr') { 'fr' } else { 'en' }
            (Test-ExchangeMx -Domain nomx.lab.test -Provider OvhEurope -DnsServer $dns).Message | Should -BeExactly (Format-Text $language 'Mx_NoRecord' 'nomx.lab.test')
        }
    }
}
