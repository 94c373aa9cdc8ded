# Issue 12, "French, all the way": a French run, with -Culture fr-FR or a French UI culture, shows no
# English sentence outside quoted server replies in what it displays: the Message and Remediation of
# every result, the verdict, the causes and their evidence, the errors of bad input and the headings
# of the reports. Step details (CheckStep.Detail) stay an English technical trace, like a log: they
# are not part of what is checked here.

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    . (Join-Path $PSScriptRoot 'LabHelpers.ps1')

    # English function words: one of them, as a whole word, in what is left of a text once the
    # quoted and technical parts are gone, is an English sentence. None is a French word (French
    # "on", "but", "an", "as", "or", "a", "en" are left out on purpose).
    $script:englishWords = @(
        'the', 'is', 'was', 'were', 'not', 'with', 'could', 'would', 'should', 'does', 'did', 'has', 'have',
        'and', 'of', 'to', 'for', 'from', 'this', 'that', 'which', 'there', 'their', 'its', 'it', 'by',
        'be', 'been', 'no', 'than', 'when', 'where', 'after', 'before', 'your', 'you', 'will',
        'can', 'cannot', 'did', 'only', 'yet', 'any', 'every', 'some', 'more', 'other', 'others',
        'into', 'about', 'because', 'while', 'then', 'found', 'answered', 'refused', 'failed', 'passed',
        'redirected', 'back', 'without', 'give', 'given', 'check', 'checked', 'record', 'records'
    )
    $script:englishPattern = [regex]::new('(?<![\p{L}\p{N}_\-])(' + ($englishWords -join '|') + ')(?![\p{L}\p{N}_\-])', 'IgnoreCase')

    # What may be English in a French text because it is not the module's own words: quoted server
    # replies and values, addresses, host names, URLs, DNS record text and protocol tokens.
    function Remove-TechnicalText([string] $Text) {
        $t = $Text
        $t = [regex]::Replace($t, '«[^»]*»', ' ')                          # French quotes: server replies
        $t = [regex]::Replace($t, '“[^”]*”', ' ')
        $t = [regex]::Replace($t, '"[^"]*"', ' ')
        $t = [regex]::Replace($t, '`[^`]*`', ' ')                          # Markdown code spans
        $t = [regex]::Replace($t, "(?<![\p{L}])'[^']*'(?![\p{L}])", ' ')    # 'value' (not the apostrophe of l'adresse)
        $t = [regex]::Replace($t, '\b[1-5]\d\d( [A-Z][A-Za-z-]*)+', ' ')                       # an HTTP status and its reason phrase: 302 Found
        $t = [regex]::Replace($t, '\b[a-z][a-z0-9+.-]*://\S+', ' ', 'IgnoreCase')           # URLs
        $t = [regex]::Replace($t, '\S+@\S+', ' ')                                          # addresses
        $t = [regex]::Replace($t, '\bv=[A-Za-z0-9]+[^.,;]*', ' ')                           # v=spf1 ..., v=DMARC1; p=...
        $t = [regex]::Replace($t, '\b[\w-]+=[^\s,;)]*', ' ')                                # tag=value, reason=2
        $t = [regex]::Replace($t, '\[[0-9a-f:.]+\](:\d+)?', ' ', 'IgnoreCase')              # [IPv6]:port
        $t = [regex]::Replace($t, '\b[\w-]+(\.[\w-]+)+\.?(:\d+)?', ' ')                     # host names, IPs, host:port
        $t = [regex]::Replace($t, '/[\w./*{}-]+', ' ')                                      # paths, /owa/auth.owa
        $t = [regex]::Replace($t, '\b[A-Z][A-Z0-9_-]+\b', ' ')                              # protocol tokens: EHLO, NXDOMAIN, MX
        $t
    }

    # The English words of a text, none when it reads as French.
    function Find-English([string] $Text) {
        if ([string]::IsNullOrWhiteSpace($Text)) { return }
        $englishPattern.Matches((Remove-TechnicalText $Text)) | ForEach-Object { $_.Value }
    }

    # Every text a French run shows, with where it comes from: the report's verdict, causes and
    # evidence, and every result's message, remediation and expectation.
    function Get-ShownText($Object, [string] $Source) {
        foreach ($item in @($Object)) {
            if ($null -eq $item) { continue }
            if ($item -is [ExchangeDiag.DiagnosticReport]) {
                [pscustomobject]@{ Source = "$Source Verdict"; Text = $item.Verdict }
                foreach ($cause in $item.Causes) {
                    [pscustomobject]@{ Source = "$Source Cause $($cause.Cause) Message"; Text = $cause.Message }
                    [pscustomobject]@{ Source = "$Source Cause $($cause.Cause) Remediation"; Text = $cause.Remediation }
                    foreach ($evidence in $cause.Evidence) { [pscustomobject]@{ Source = "$Source Cause $($cause.Cause) Evidence"; Text = $evidence } }
                }
                Get-ShownText $item.Results "$Source $($item.EmailAddress)"
                if ($item.ProviderDiagnosis) { Get-ShownText $item.ProviderDiagnosis "$Source provider" }
                continue
            }
            if ($item -is [ExchangeDiag.CheckResult]) {
                [pscustomobject]@{ Source = "$Source $($item.Check) $($item.Target) Message"; Text = $item.Message }
                [pscustomobject]@{ Source = "$Source $($item.Check) $($item.Target) Remediation"; Text = $item.Remediation }
                # Observed is left to the reports' check: it is often the server's record or reply itself, unquoted.
                [pscustomobject]@{ Source = "$Source $($item.Check) $($item.Target) Expected"; Text = $item.Expected }
            }
        }
    }

    # The texts among them that hold English, each with its English words.
    function Get-EnglishText($Texts) {
        foreach ($entry in $Texts) {
            $words = @(Find-English $entry.Text)
            if ($words.Count -gt 0) { "$($entry.Source): [$($words -join ', ')] $($entry.Text)" }
        }
    }

    function Invoke-FrenchDiagnostic([string] $User, [string] $Secret = 'Correct-Horse-1', [hashtable] $Extra = @{}) {
        $options = @{ DnsServer = $dns; Culture = 'fr-FR' }
        $Extra.GetEnumerator() | ForEach-Object { $options[$_.Key] = $_.Value }
        Invoke-ExchangeDiagnostic -EmailAddress $User -Credential (New-LabCredential $User $Secret) @options
    }

    # Writes what a French run showed to a file when EXCHANGEDIAG_FRENCH_DUMP names one, to read it whole.
    function Save-Dump($Texts) {
        if ($env:EXCHANGEDIAG_FRENCH_DUMP) {
            $Texts | ForEach-Object { "$($_.Source)`t$($_.Text)" } | Add-Content -Encoding utf8 -Path $env:EXCHANGEDIAG_FRENCH_DUMP
        }
    }
}

Describe 'the English detector' {
    It 'finds the English tail of <Text>' -ForEach @(
        @{ Text = 'OWA a refusé les identifiants : redirected back to the logon page with reason=2.' }
        @{ Text = 'Le MX pointe vers mx.other.test, which is not an OVHcloud Exchange MX host.' }
        @{ Text = 'Vérifiez le domaine (and 3 more).' }
        @{ Text = 'The mailbox works.' }
    ) {
        Find-English $Text | Should -Not -BeNullOrEmpty
    }

    It 'lets French through with names, addresses, quoted replies and protocol tokens: <Text>' -ForEach @(
        @{ Text = 'OWA sur ex1.lab.test a refusé les identifiants de healthy@lab.test : retour à la page de connexion avec reason=2.' }
        @{ Text = 'Le serveur a répondu « 535 5.7.8 Authentication credentials invalid » à AUTH PLAIN.' }
        @{ Text = 'Le serveur a répondu "550 5.7.1 Message rejected as spam" (code 550).' }
        @{ Text = 'L''enregistrement v=spf1 include:mx.ovh.com ~all de the-domain.example ne se termine pas par -all.' }
        @{ Text = 'Le serveur DNS 127.0.0.99:5300 n''a pas répondu (NXDOMAIN, SERVFAIL) ; voir https://is.example/the/path?with=it.' }
        @{ Text = 'La boîte aux lettres fonctionne : les 14 vérifications ont réussi.' }
        @{ Text = 'Il a échoué, mais ce n''est pas le but : un an, on a vu ou non.' }
        @{ Text = 'OWA a répondu 503 Service Unavailable, puis 302 Found -> https://ex1.lab.test/owa/.' }
    ) {
        Find-English $Text | Should -BeNullOrEmpty
    }
}

Describe 'a French run shows no English sentence outside quoted server replies' {
    BeforeAll {
        Reset-Lab
        $script:runs = [ordered]@{}
        # A wrong password on OWA (reason=2), the MX of another provider, a domain-authentication warning.
        $runs['wrong password'] = Invoke-FrenchDiagnostic healthy@post.lab.test 'Wrong-Horse-9' @{ Provider = 'OvhEurope'; DkimSelector = 'no-such-selector'; BlocklistZone = 'dnsbl.test'; TimeoutSeconds = 5 }
        Reset-Lab
        # A working mailbox whose domain's mail authentication is wrong: a Warning.
        $runs['domain authentication'] = Invoke-FrenchDiagnostic healthy@post.lab.test -Extra @{ BlocklistZone = 'dnsbl.test'; DkimSelector = 'no-such-selector'; SkipMailFlow = $true }
        # DNS failures: a dead DNS server, a refusing one, a domain that does not exist.
        $runs['dead DNS server'] = Invoke-FrenchDiagnostic healthy@post.lab.test -Extra @{ DnsServer = '127.0.0.99:5300'; TimeoutSeconds = 2 }
        $runs['refusing DNS server'] = Invoke-FrenchDiagnostic someone@unserved.example
        $runs['no such domain'] = Invoke-FrenchDiagnostic nobody@nowhere.lab.test
        # No SRV record, the MX elsewhere, and servers that do not answer.
        $runs['no SRV record'] = Invoke-FrenchDiagnostic healthy@ovh-foreign.lab.test -Extra @{ Provider = 'OvhEurope'; TimeoutSeconds = 3; SkipMailFlow = $true; SkipDomainAuthentication = $true }
        Reset-Lab

        # The same failing paths through the Test-* cmdlets, in a French UI culture.
        $wrong = New-LabCredential healthy@lab.test 'Wrong-Horse-9'
        $runs['Test-* cmdlets'] = Invoke-InCulture 'fr-FR' {
            Test-ExchangeOwaLogin -Server ex1.lab.test -Credential $wrong -DnsServer $dns
            Test-ExchangeMx -Domain ovh-foreign.lab.test, nomx.lab.test, all-dead.lab.test -Provider OvhEurope -DnsServer $dns
            Test-ExchangeSrv -Domain ovh-foreign.lab.test, srv-foreign.lab.test, srv-port.lab.test -Provider OvhEurope -DnsServer $dns
            Test-ExchangeSpf -Domain spf.test, nodmarc.test -DnsServer $dns
            Test-ExchangeDmarc -Domain nodmarc.test -DnsServer $dns
            Test-ExchangeDkim -Domain post.lab.test -Selector no-such-selector -DnsServer $dns
            Test-ExchangeMx -Domain post.lab.test -DnsServer 127.0.0.99:5300 -TimeoutSeconds 2
        }
        Reset-Lab

        # The domain's mail authentication, broken every way the lab's zones break it: the parsers'
        # findings reach the messages.
        $runs['domain authentication cmdlets'] = Invoke-InCulture 'fr-FR' {
            $spf = 'syntax', 'loop', 'lookups', 'plusall', 'noall', 'void', 'two', 'long', 'macro', 'ptr', 'hostile', 'none', 'include-nospf', 'include-plusall', 'redirect', 'neutral', 'bareall', 'mxmany', 'nested', 'ten', 'void2'
            Test-ExchangeSpf -Domain ($spf | ForEach-Object { "$_.spf.test" }) -DnsServer $dns -TimeoutSeconds 5
            $dmarc = 'badrua', 'badsp', 'hostile', 'httpsrua', 'none', 'nop', 'pct50', 'two', 'stray', 'unauthorised', 'aliased', 'other-txt', 'child.badsp'
            Test-ExchangeDmarc -Domain ($dmarc | ForEach-Object { "$_.dmarc.test" }) -DnsServer $dns -TimeoutSeconds 5
            foreach ($case in @('garbage', 'selector1'), @('garbage', 'selector2'), @('rsa512', 'default'), @('revoked', 'selector1'), @('testing', 'selector1'), @('dangling', 'selector1'), @('weakleft', 'default'), @('rsa1024', 'selector1'), @('nodkim', 'selector1')) {
                Test-ExchangeDkim -Domain "$($case[0]).dkim.test" -Selector $case[1] -DnsServer $dns -TimeoutSeconds 5
            }
            $mtasts = 'bad-policy', 'bad-record', 'bad-tlsrpt', 'enforce-mismatch', 'mode-none', 'name-missing', 'name-unknown', 'no-tlsrpt', 'policy-404', 'redirect', 'refused', 'rpt-unknown', 'short-age', 'testing-mismatch', 'two-records', 'wrong-cert', 'wrong-type'
            Test-ExchangeMtaSts -Domain ($mtasts | ForEach-Object { "$_.mtasts.test" }) -DnsServer $dns -TimeoutSeconds 5
            Test-ExchangeBlocklist -Domain post.lab.test -Zone dnsbl.test, dnsbl2.test -DnsServer $dns -TimeoutSeconds 5
        }

        # Servers that do not answer, and the wrong Exchange server named.
        $runs['wrong Exchange server'] = Invoke-FrenchDiagnostic healthy@post.lab.test -Extra @{ ExchangeServer = 'unreachable.lab.test'; TimeoutSeconds = 4; SkipMailFlow = $true; SkipDomainAuthentication = $true }
        $runs['platform incident'] = Invoke-FrenchDiagnostic healthy@incident.lab.test -Extra @{ TimeoutSeconds = 4; SkipDomainAuthentication = $true }
        Reset-Lab
        $runs['unreachable servers'] = Invoke-InCulture 'fr-FR' {
            Test-ExchangeOwaLogin -Server unreachable.lab.test -Credential $wrong -DnsServer $dns -TimeoutSeconds 3
            Test-ExchangeEwsLogin -Server ex1.lab.test -Credential $wrong -DnsServer $dns
            Test-ExchangeCertificate -Server expired.lab.test, selfsigned.lab.test, wrongname.lab.test -DnsServer $dns -TimeoutSeconds 5
            Test-ExchangeAutodiscover -EmailAddress user@ad-err.lab.test, user@ad-loop.lab.test -Credential (New-LabCredential healthy@lab.test) -DnsServer $dns -TimeoutSeconds 5
            Test-ExchangeSmtpSend -Server mail.lab.test -Credential (New-LabCredential healthy@post.lab.test 'Wrong-Horse-9') -DnsServer $dns -Confirm:$false
        }
        Reset-Lab

        $script:shown = foreach ($run in $runs.GetEnumerator()) { Get-ShownText $run.Value $run.Key }
        Save-Dump $shown
    }

    It 'ran every failing path it means to' {
        $runs['wrong password'].Causes.Cause | Should -Contain 'WrongPassword'
        $runs['wrong password'].Causes.Cause | Should -Contain 'MxInvalid'
        $runs['domain authentication'].Status | Should -Be 'Warning'
        $runs['dead DNS server'].Causes[0].Cause | Should -Be 'LocalDnsFailure'
        $runs['refusing DNS server'].Causes[0].Cause | Should -Be 'LocalDnsFailure'
        $runs['no such domain'].Causes[0].Cause | Should -Be 'DomainNotFound'
        $runs['no SRV record'].Causes.Cause | Should -Contain 'SrvInvalid'
        ($runs['Test-* cmdlets'] | Where-Object Check -eq 'OwaLogin').Cause | Should -Be 'WebmailAuthFailed'
    }

    It 'writes every message, remediation, verdict, cause and evidence in French' {
        $shown | Should -Not -BeNullOrEmpty
        Get-EnglishText $shown | Should -BeNullOrEmpty
    }

    It 'says why OWA refused the password in French, with the reason code kept' {
        $owa = $runs['Test-* cmdlets'] | Where-Object Check -eq 'OwaLogin'
        $owa.Message | Should -Match 'reason=2'
        $owa.Message | Should -Not -Match 'redirected|logon page'
    }

    It 'writes the reports of these runs with French headings and no English sentence' {
        $reports = @($runs.Values | ForEach-Object { $_ } | Where-Object { $_ -is [ExchangeDiag.DiagnosticReport] })
        foreach ($format in 'html', 'md') {
            $path = Join-Path $TestDrive "french.$format"
            $reports | Export-ExchangeDiagnosticReport -Path $path -Culture fr-FR
            $text = Get-Content -Raw -Encoding utf8 $path
            if ($format -eq 'html') {
                # The step traces (<details>) stay English; everything else is the document's text.
                $text = [regex]::Replace($text, '(?s)<style.*?</style>|<details.*?</details>', ' ')
                $text = [Net.WebUtility]::HtmlDecode([regex]::Replace($text, '<[^>]+>', "`n"))
            }
            else {
                # The step tables, under their "Étapes (n) : trace technique, en anglais" heading.
                $text | Should -Match '\*\*Étapes \(\d+\) : trace technique, en anglais\*\*'
                $text = [regex]::Replace($text, '(?m)^\*\*Étapes .*\n\n(^\|.*\n)+', ' ')
            }
            $lines = $text -split "`n" | Where-Object { $_.Trim() } | ForEach-Object { [pscustomobject]@{ Source = "report.$format"; Text = $_ } }
            Save-Dump $lines
            Get-EnglishText $lines | Should -BeNullOrEmpty -Because "the $format report is French"
        }
    }
}

Describe 'errors of bad input in French' {
    BeforeAll {
        $credential = New-LabCredential healthy@lab.test
        $script:errors = [ordered]@{}
        $cases = [ordered]@{
            'invalid domain'        = { Test-ExchangeMx -Domain 'contoso..com', 'contoso', 'bad domain.test' -DnsServer $dns }
            'invalid address'       = { Invoke-ExchangeDiagnostic -EmailAddress 'not-an-address', 'x@bad..test' -Credential $credential -DnsServer $dns -Culture fr-FR }
            'bad -DnsServer'        = { Test-ExchangeMx -Domain lab.test -DnsServer '127.0.0.1:99999' }
            'bad -DnsServer IPv6'   = { Test-ExchangeMx -Domain lab.test -DnsServer '[::1' }
            'bad host:port'         = { Test-ExchangeMailFlow -EmailAddress healthy@lab.test -Credential $credential -SmtpServer 'mail.lab.test:port' -DnsServer $dns }
            'bad server'            = { Test-ExchangeSmtpSend -Server 'bad server' -Credential $credential -DnsServer $dns }
            'bad -ExchangeServer'   = { Invoke-ExchangeDiagnostic -EmailAddress healthy@lab.test -Credential $credential -ExchangeServer 'x..y' -DnsServer $dns -Culture fr-FR }
            'empty credential'      = { Test-ExchangeOwaLogin -Server ex1.lab.test -Credential ([pscredential]::Empty) -DnsServer $dns }
            'plain http URL'        = { Test-ExchangeOwaLogin -Url 'http://ex1.lab.test/owa/' -Credential $credential -DnsServer $dns }
            'bad DKIM selector'     = { Test-ExchangeDkim -Domain lab.test -Selector 'bad selector' -DnsServer $dns }
            'no report'             = { @() | Export-ExchangeDiagnosticReport -Path (Join-Path $TestDrive 'none.md') }
            'not a report'          = { 'text' | Export-ExchangeDiagnosticReport -Path (Join-Path $TestDrive 'text.md') }
            'unknown report format' = { @() | Export-ExchangeDiagnosticReport -Path (Join-Path $TestDrive 'report.txt') }
            'conflicting -Security and -StartTls' = { Test-ExchangeCertificate -Server mail.lab.test -Port 25 -Security SslOnConnect -StartTls Smtp -DnsServer $dns }
            'no protocol before STARTTLS' = { Test-ExchangeCertificate -Server mail.lab.test:443 -Security StartTls -DnsServer $dns }
        }
        foreach ($case in $cases.GetEnumerator()) {
            # Non-terminating errors come through 2>&1, terminating ones through catch.
            $caught = Invoke-InCulture 'fr-FR' {
                $ErrorActionPreference = 'Continue'
                try { & $case.Value 2>&1 } catch { $_ }
            }
            $errors[$case.Key] = @($caught | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        }
        $script:errorTexts = foreach ($case in $errors.GetEnumerator()) {
            foreach ($record in $case.Value) { [pscustomobject]@{ Source = "error $($case.Key) $($record.FullyQualifiedErrorId)"; Text = $record.Exception.Message } }
        }
        Save-Dump $errorTexts
    }

    It 'gives an error for <_>' -ForEach @('invalid domain', 'invalid address', 'bad -DnsServer', 'bad -DnsServer IPv6', 'bad host:port', 'bad server', 'bad -ExchangeServer', 'empty credential', 'plain http URL', 'bad DKIM selector', 'not a report', 'unknown report format', 'conflicting -Security and -StartTls', 'no protocol before STARTTLS') {
        $errors[$_] | Should -Not -BeNullOrEmpty
    }

    It 'writes every error of bad input in French' {
        Get-EnglishText $errorTexts | Should -BeNullOrEmpty
    }

    It 'keeps the input as the target and the error ids English' {
        $invalid = $errors['invalid domain']
        $invalid | Should -HaveCount 3
        $invalid[0].TargetObject | Should -Be 'contoso..com'
        $invalid[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDomainName*'
        $invalid[0].Exception.Message | Should -BeLike "'contoso..com' n'est pas un nom de domaine*"
    }

    It 'refuses TLS parameters that contradict each other, or a port with nothing to speak before STARTTLS, in French' {
        $conflict = @($errors['conflicting -Security and -StartTls'])
        $conflict | Should -HaveCount 1
        $conflict[0].FullyQualifiedErrorId | Should -BeLike 'ConflictingTlsParameters*'
        $conflict[0].Exception.Message | Should -BeExactly "-Security SslOnConnect et -StartTls Smtp se contredisent : -StartTls nomme le protocole parlé avant STARTTLS (None pour TLS dès le premier octet) ; donnez l'un des deux, ou les deux en accord."
        $port = @($errors['no protocol before STARTTLS'])
        $port | Should -HaveCount 1
        $port[0].FullyQualifiedErrorId | Should -BeLike 'NoStartTlsProtocol*'
        $port[0].TargetObject | Should -Be 'mail.lab.test:443'
        $port[0].Exception.Message | Should -BeExactly "'mail.lab.test:443' a le port 443, où aucun protocole connu ne se parle avant STARTTLS : ajoutez -StartTls Smtp, Imap ou Pop."
    }
}

Describe '-WhatIf in French' {
    BeforeAll {
        # "What if:" lines go to the host, which only a fresh pwsh's output shows; PowerShell's own
        # frame around the operation ("Performing the operation ... on target") is not the module's.
        $commands = @(
            "Test-ExchangeSmtpSend -Server mail.lab.test -Credential (New-LabCredential healthy@post.lab.test) -DnsServer `$dns"
            "Test-ExchangeMailFlow -EmailAddress healthy@post.lab.test -Credential (New-LabCredential healthy@post.lab.test) -SmtpServer mail.lab.test -ImapServer imap.lab.test -DnsServer `$dns"
            "Test-ExchangeMailFlow -EmailAddress healthy@post.lab.test -Credential (New-LabCredential healthy@post.lab.test) -DnsServer `$dns"
            "Test-ExchangeMailFlow -EmailAddress healthy@post.lab.test -Credential (New-LabCredential healthy@post.lab.test) -SmtpServer mail.lab.test -ImapServer imap.lab.test -InboundToken ('0' * 32) -DnsServer `$dns"
            "Test-ExchangeInboundSmtp -Recipient spammer@post.lab.test -Deliver -DnsServer `$dns"
        ) | ForEach-Object { "`$null = $_ -WhatIf" }
        $script:output = @(Invoke-InFreshPwsh "Invoke-InCulture fr-FR { $($commands -join '; ') }")
        $script:operations = @($output | ForEach-Object { if ($_ -match '^What if: Performing the operation "(.*)" on target "(.*)"\.$') { [pscustomobject]@{ Source = "WhatIf $($Matches[2])"; Text = $Matches[1] } } })
        Save-Dump $operations
    }

    It 'says what it would do in French: <_>' -ForEach @(
        'Envoyer un message de test de healthy@post.lab.test à healthy@post.lab.test" on target "mail.lab.test:587'
        'S''envoyer un message de test par mail.lab.test:587" on target "healthy@post.lab.test'
        'S''envoyer un message de test par le serveur que nomme Autodiscover" on target "healthy@post.lab.test'
        'Attendre par IMAP le message remis par Test-ExchangeInboundSmtp, puis le supprimer" on target "healthy@post.lab.test'
        'Remettre un message de test par le MX de post.lab.test, port 25" on target "spammer@post.lab.test'
    ) {
        $output | Should -Contain "What if: Performing the operation `"$_`"." -Because ($output -join "`n")
    }

    It 'holds no English sentence in what it would do' {
        $operations | Should -HaveCount 5
        Get-EnglishText $operations | Should -BeNullOrEmpty
    }
}

Describe 'one French term for mailbox' {
    It 'says "boîte aux lettres", Microsoft''s term in French Exchange, in every French help page and resource: <_>' -ForEach @(
        @(Get-ChildItem (Join-Path $env:EXCHANGEDIAG_REPO 'docs/fr-FR') -Filter *.md) + @(Get-ChildItem (Join-Path $env:EXCHANGEDIAG_REPO 'src/ExchangeDiag.Core/Resources') -Filter *.fr.resx) | ForEach-Object Name
    ) {
        $path = @(Join-Path $env:EXCHANGEDIAG_REPO "docs/fr-FR/$_"; Join-Path $env:EXCHANGEDIAG_REPO "src/ExchangeDiag.Core/Resources/$_") | Where-Object { Test-Path $_ } | Select-Object -First 1
        $text = Get-Content -Raw -Encoding utf8 $path
        # "boîte de réception" is the inbox, another thing; "boîte(s)" is the plural mark of "boîte(s) aux lettres".
        $others = [regex]::Matches($text, '(?i)bo[iî]tes?(?! aux lettres| de réception|\(s\) aux lettres)\W+\S+') | ForEach-Object Value
        $others | Should -BeNullOrEmpty
        $text | Should -Not -Match '(?i)\b(boîte|boite) (e-mail|mail|courriel|de messagerie)'
    }
}
