# Invoke-ExchangeDiagnostic against the whole lab: NSD for DNS, the Exchange emulator for OWA, EWS
# and Autodiscover (ex1.lab.test), Postfix and Dovecot for SMTP and IMAP (mail.lab.test). The
# post.lab.test accounts exist in both, in the same state.

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    . (Join-Path $PSScriptRoot 'LabHelpers.ps1')

    function Invoke-LabDiagnostic([string] $User, [string] $Secret = 'Correct-Horse-1', [hashtable] $Extra = @{}) {
        $options = @{ DnsServer = $dns }
        $Extra.GetEnumerator() | ForEach-Object { $options[$_.Key] = $_.Value }    # a case may name its own DNS server
        Invoke-ExchangeDiagnostic -EmailAddress $User -Credential (New-LabCredential $User $Secret) @options
    }

    # Dovecot logs every login it sees; the lockout test counts them.
    function Get-ImapLoginCount([string] $User) {
        @(Select-String -Path $env:EXCHANGEDIAG_LAB_DOVECOT_LOG -SimpleMatch "user=<$User>" -ErrorAction Ignore).Count
    }
}

Describe 'Invoke-ExchangeDiagnostic' {
    BeforeEach { Reset-Lab }

    It 'finds a healthy mailbox healthy, with every check run and the mail flow included' {
        $report = Invoke-LabDiagnostic healthy@post.lab.test
        $report | Should -BeOfType ([ExchangeDiag.DiagnosticReport])
        $report.Status | Should -Be 'Passed'
        $report.Passed | Should -BeTrue
        $report.Causes | Should -BeNullOrEmpty
        $report.Verdict | Should -Match 'works'
        $report.Domain | Should -Be 'post.lab.test'
        $report.ExchangeServer | Should -Be 'ex1.lab.test' -Because 'the SRV record names it'
        $report.Provider | Should -BeNullOrEmpty -Because 'the lab is no provider the checks know'
        $report.ModuleVersion | Should -Be '0.1.0'
        ($report.Results.Check | Sort-Object -Unique) | Should -Be @('Autodiscover', 'Blocklist', 'Certificate', 'Dkim', 'Dmarc', 'ImapLogin', 'InboundSmtp', 'MailFlow', 'MtaSts', 'Mx', 'OwaLogin', 'SmtpSend', 'Spf', 'Srv')
        $report.Results | Where-Object Check -in 'Spf', 'Dkim', 'Dmarc', 'Blocklist', 'MtaSts' | ForEach-Object { $_.Status | Should -Be 'Passed' -Because "$($_.Check): $($_.Message)" }
        ($report.Results | Where-Object Check -eq MailFlow).Delivered | Should -BeTrue
        ($report.Results | Where-Object Check -eq Certificate).Target | Should -Be @('ex1.lab.test:443', 'mail.lab.test:587', 'mail.lab.test:993')
    }

    It 'names <Cause> first for <User> <Note>' -ForEach @(
        @{ User = 'spammer@post.lab.test'; Cause = 'AccountBlockedForSpam'; Note = '(sending refused as spam, receiving works)' }
        @{ User = 'expired@post.lab.test'; Cause = 'SubscriptionExpired'; Note = '(logins refused, the MX refuses its mail)' }
        @{ User = 'locked@post.lab.test'; Cause = 'AccountLocked'; Note = '(EWS says the account is locked out)' }
        @{ User = 'healthy@post.lab.test'; Secret = 'Wrong-Horse-9'; Cause = 'WrongPassword'; Note = '(a wrong password)' }
        @{ User = 'healthy@post.lab.test'; Extra = @{ Provider = 'OvhEurope' }; Cause = 'MxInvalid'; Note = '(the MX is not the provider''s)' }
        @{ User = 'overquota@post.lab.test'; Cause = 'SendFailed'; Note = '(submission quota exceeded)' }
        @{ User = 'slow@post.lab.test'; Extra = @{ TimeoutSeconds = 4 }; Cause = 'ReceiveFailed'; Note = '(the message is deferred)' }
        @{ User = 'healthy@incident.lab.test'; Cause = 'PlatformIncident'; Note = '(the server the SRV record names is down, the MX host answers)' }
        @{ User = 'healthy@post.lab.test'; Extra = @{ ExchangeServer = 'unreachable.lab.test' }; Cause = 'WrongExchangeServer'; Note = '(-ExchangeServer is down, the SRV record names one that answers)' }
        @{ User = 'healthy@offline.lab.test'; Cause = 'LocalNetworkFailure'; Note = '(no server answers, on two hosts)' }
        @{ User = 'nobody@nowhere.lab.test'; Cause = 'DomainNotFound'; Note = '(the domain does not exist)' }
        @{ User = 'healthy@post.lab.test'; Extra = @{ DnsServer = '127.0.0.99:5300'; TimeoutSeconds = 2 }; Cause = 'LocalDnsFailure'; Note = '(the DNS server asked is dead)' }
    ) {
        $secret = if ($Secret) { $Secret } else { 'Correct-Horse-1' }
        $report = Invoke-LabDiagnostic $User $secret ($Extra ?? @{})
        $report.Passed | Should -BeFalse
        $report.Causes[0].Cause | Should -Be $Cause
        $report.Causes[0].Remediation | Should -Not -BeNullOrEmpty
        $report.Causes[0].Evidence | Should -Not -BeNullOrEmpty
        $report.Verdict | Should -BeLike "$($report.Causes[0].Message.TrimEnd('.'))*"
        $failing = $report.Results | Where-Object { $_.Status -in 'Failed', 'Error' }
        $failing | Where-Object ExplainedBy -eq 'None' | Should -BeNullOrEmpty -Because 'every failure is explained by a cause'
    }

    It 'judges the domain against Microsoft 365''s records with -Provider Microsoft365, and leaves the OVHcloud API out' {
        # post.lab.test has the lab's MX, an SRV record and no autodiscover CNAME: wrong for Microsoft 365.
        $report = Invoke-LabDiagnostic healthy@post.lab.test -Extra @{ Provider = 'Microsoft365'; SkipMailFlow = $true; SkipDomainAuthentication = $true }
        $report.Provider | Should -Be 'Microsoft365'
        $report.Passed | Should -BeFalse
        $report.Causes.Cause | Select-Object -First 2 | Should -Be @('MxInvalid', 'AutodiscoverCnameInvalid')
        ($report.Results | Where-Object Check -eq Mx).Remediation | Should -Match 'post-lab-test\.mail\.protection\.outlook\.com \(preference 0\)'
        $report.Causes[1].Remediation | Should -Match 'autodiscover\.post\.lab\.test\. CNAME autodiscover\.outlook\.com\.'
        $srv = $report.Results | Where-Object Check -eq Srv
        $srv.Steps | Where-Object Status -eq Warning | Should -Not -BeNullOrEmpty -Because 'the SRV record to ex1.lab.test is one Outlook may follow'
        # A Microsoft 365 mailbox is served by Exchange Online's own servers, whatever the SRV record names,
        # and no password goes there: the logins say so, after the two DNS causes.
        $report.ExchangeServer | Should -Be 'outlook.office365.com' -Because 'a Microsoft 365 SRV record names the Autodiscover service, not the Exchange server'
        ($report.Results | Where-Object Check -eq OwaLogin).Cause | Should -Be 'BasicAuthDisabled'
    }

    It 'detects Microsoft 365 from the autodiscover CNAME alone, and leaves an MX that is not its own (a filtering service) unjudged' {
        $report = Invoke-LabDiagnostic healthy@filtered.m365.test -Extra @{ SkipMailFlow = $true; SkipDomainAuthentication = $true; TimeoutSeconds = 5 }
        $report.Provider | Should -Be 'Microsoft365'
        $mx = $report.Results | Where-Object Check -eq Mx
        $mx.Status | Should -Be 'Passed'
        $mx.Expected | Should -Be 'at least one MX record whose host resolves'
        $srv = $report.Results | Where-Object Check -eq Srv
        $srv.Status | Should -Be 'Passed'
        $srv.AutodiscoverCname | Should -Be 'autodiscover.outlook.com'
    }

    It 'words its own texts in the -Culture given, and leaves the commands downstream in the session''s language' {
        $session = [cultureinfo]::CurrentUICulture.Name
        $null = Invoke-ExchangeDiagnostic -EmailAddress 'not-an-address' -Credential (New-LabCredential healthy@post.lab.test 'Correct-Horse-1') -DnsServer $dns -Culture fr-FR -ErrorAction SilentlyContinue -ErrorVariable refused
        $refused[0].Exception.Message | Should -Not -Match '\b(the|is|not an?)\b' -Because "the error of bad input is French: $($refused[0].Exception.Message)"
        $downstream = Invoke-LabDiagnostic healthy@post.lab.test -Extra @{ Culture = 'fr-FR' } | ForEach-Object { [cultureinfo]::CurrentUICulture.Name; $_.Culture }
        $downstream[0] | Should -Be $session -Because 'a command after the pipe runs in the session''s culture'
        "$($downstream[1])" | Should -BeLike 'fr*' -Because 'the report itself is French'
        [cultureinfo]::CurrentUICulture.Name | Should -Be $session
    }

    Context 'the domain''s mail authentication: why its mail may be refused or filed as spam' {
        It 'keeps a working mailbox a Warning, not Failed, when its domain''s mail authentication is wrong, and names that last' {
            # dnsbl.test lists mail.lab.test's address; no key hides under the selector given.
            $report = Invoke-LabDiagnostic healthy@post.lab.test -Extra @{ BlocklistZone = 'dnsbl.test'; DkimSelector = 'no-such-selector'; SkipMailFlow = $true }
            $report.Status | Should -Be 'Warning'
            $report.Passed | Should -BeTrue
            @($report.Causes).Cause | Should -Be @('Blocklisted', 'DkimMissing')
            $report.Verdict | Should -BeLike 'The mailbox works, but *'
            $report.Verdict | Should -Match 'dnsbl\.test'
            $report.Causes[0].Remediation | Should -Not -BeNullOrEmpty
            ($report.Results | Where-Object Check -eq Blocklist).ExplainedBy | Should -Be 'Blocklisted'
        }

        It 'ranks them after every fault of the mailbox itself' {
            $report = Invoke-LabDiagnostic healthy@post.lab.test 'Wrong-Horse-9' -Extra @{ DkimSelector = 'no-such-selector' }
            $report.Status | Should -Be 'Failed'
            @($report.Causes).Cause | Should -Be @('WrongPassword', 'DkimMissing')
            $report.Verdict | Should -Not -BeLike 'The mailbox works*'
        }

        It 'leaves them out with -SkipDomainAuthentication' {
            $report = Invoke-LabDiagnostic healthy@post.lab.test -Extra @{ SkipDomainAuthentication = $true; SkipMailFlow = $true }
            $report.Results | Where-Object Check -in 'Spf', 'Dkim', 'Dmarc', 'Blocklist', 'MtaSts' | Should -BeNullOrEmpty
            $report.Status | Should -Be 'Passed'
        }

        It 'says it in French with -Culture fr-FR' {
            $report = Invoke-LabDiagnostic healthy@post.lab.test -Extra @{ BlocklistZone = 'dnsbl.test'; SkipMailFlow = $true; Culture = 'fr-FR' }
            $report.Verdict | Should -BeLike 'La boîte aux lettres fonctionne, mais *'
            $report.Causes[0].Remediation | Should -Match 'liste'
        }
    }

    Context 'what is not the mailbox''s fault says so, and scripts can tell "could not diagnose" from "broken"' {
        It 'blames this computer''s dead DNS server, runs nothing that needs it, and reports Error, not Failed' {
            $report = Invoke-LabDiagnostic healthy@post.lab.test -Extra @{ DnsServer = '127.0.0.99:5300'; TimeoutSeconds = 2 }
            $report.Status | Should -Be 'Error'
            @($report.Causes).Count | Should -Be 1
            $report.Causes[0].Cause | Should -Be 'LocalDnsFailure'
            $report.Verdict | Should -Match '127\.0\.0\.99:5300 did not answer'
            $report.Verdict | Should -Match 'this computer'
            $report.Verdict | Should -Not -Match 'SRV record|MX record' -Because 'the records were never seen'
            $others = $report.Results | Where-Object Check -notin 'Mx', 'Srv'
            $others | ForEach-Object { $_.Status | Should -Be 'Skipped'; $_.ExplainedBy | Should -Be 'LocalDnsFailure' }
            (Get-LabAccount healthy@post.lab.test).logins | Should -Be 0 -Because 'no login was tried without a server'
        }

        It 'blames a refusing DNS server the same way' {
            # The lab's NSD serves only its own zones: it refuses any other domain.
            $report = Invoke-LabDiagnostic someone@unserved.example
            $report.Status | Should -Be 'Error'
            $report.Causes[0].Cause | Should -Be 'LocalDnsFailure'
            $report.Verdict | Should -Match 'REFUSED'
        }

        It 'says the domain does not exist, not "set the MX records", and tries nothing else' {
            $report = Invoke-LabDiagnostic nobody@nowhere.lab.test
            $report.Status | Should -Be 'Failed'
            @($report.Causes).Count | Should -Be 1
            $report.Verdict | Should -Match 'nowhere\.lab\.test does not exist'
            $report.Causes[0].Remediation | Should -Match 'spelling'
            ($report.Results | Where-Object Status -ne 'Skipped').Check | Should -Be @('Mx', 'Srv')
        }

        It 'names the server found when -ExchangeServer is wrong, and reports Error' {
            $report = Invoke-LabDiagnostic healthy@post.lab.test -Extra @{ ExchangeServer = 'unreachable.lab.test'; TimeoutSeconds = 4 }
            $report.Status | Should -Be 'Error'
            $report.Causes[0].Cause | Should -Be 'WrongExchangeServer'
            $report.Verdict | Should -Match 'unreachable\.lab\.test could not be reached, while ex1\.lab\.test'
            $report.Causes | Where-Object Cause -eq 'PlatformIncident' | Should -BeNullOrEmpty
        }

        It 'reports a network on which no server answers as this computer''s, with Error' {
            $report = Invoke-LabDiagnostic healthy@offline.lab.test -Extra @{ TimeoutSeconds = 4 }
            $report.Status | Should -Be 'Error'
            @($report.Causes).Count | Should -Be 1
            $report.Causes[0].Cause | Should -Be 'LocalNetworkFailure'
        }

        It 'keeps an incident on the platform for a server down while the MX host answers' {
            $report = Invoke-LabDiagnostic healthy@incident.lab.test -Extra @{ TimeoutSeconds = 4 }
            $report.Passed | Should -BeFalse
            @($report.Causes).Cause | Should -Be 'PlatformIncident' -Because 'the Autodiscover that found no server is part of the incident'
        }
    }

    It 'logs in nowhere and sends nothing with -WhatIf, and says what it would do' {
        $run = Invoke-WhatIfSend healthy@post.lab.test "Invoke-ExchangeDiagnostic healthy@post.lab.test -Credential (New-LabCredential healthy@post.lab.test) -DnsServer `$dns"
        $run.Output | Should -Contain 'What if: Performing the operation "Diagnose the mailbox: log in to OWA, Autodiscover, IMAP and SMTP submission, and send a test message to itself" on target "healthy@post.lab.test".'
        $run.Output | Should -Contain 'results: 0'
        $run.After | Should -Be $run.Before
        (Get-LabAccount healthy@post.lab.test).logins | Should -Be 0 -Because 'Reset-Lab ran before this test and -WhatIf tried no login'
    }

    It 'reports one wrong password as one cause that explains the skipped logins' {
        $report = Invoke-LabDiagnostic healthy@post.lab.test 'Wrong-Horse-9'
        @($report.Causes).Count | Should -Be 1
        $skipped = $report.Results | Where-Object Status -eq Skipped
        $skipped.Check | Should -Be @('Autodiscover', 'ImapLogin', 'SmtpSend', 'MailFlow')
        $skipped | ForEach-Object { $_.ExplainedBy | Should -Be 'WrongPassword' }
        $skipped[0].Message | Should -Match 'not retried, to stay clear of the lockout policy'
    }

    It 'never locks the account: a wrong password costs two failed logins against a threshold of 3' {
        $imapBefore = Get-ImapLoginCount healthy@post.lab.test
        $null = Invoke-LabDiagnostic healthy@post.lab.test 'Wrong-Horse-9'
        $account = Get-LabAccount healthy@post.lab.test
        $account.failedLogins | Should -Be 2 -Because 'OWA refused it once and EWS corroborated once'
        $account.locked | Should -BeFalse
        Get-ImapLoginCount healthy@post.lab.test | Should -Be $imapBefore -Because 'IMAP and SMTP were not tried'

        # The owner then diagnoses with the right password: the account still works.
        (Invoke-LabDiagnostic healthy@post.lab.test).Status | Should -Be 'Passed'
    }

    It 'reads mailboxes and their credentials from the pipeline by property name, in order, with -Quiet' {
        $inputs = @(
            [pscustomobject]@{ EmailAddress = 'healthy@post.lab.test'; Credential = New-LabCredential healthy@post.lab.test }
            [pscustomobject]@{ EmailAddress = 'spammer@post.lab.test'; Credential = New-LabCredential spammer@post.lab.test }
        )
        $answers = $inputs | Invoke-ExchangeDiagnostic -DnsServer $dns -SkipMailFlow -Quiet -ThrottleLimit 2
        $answers | Should -Be @($true, $false)
    }

    It 'refuses to send one mailbox''s password in another''s name, and diagnoses a mailbox listed twice once' {
        $credential = New-LabCredential healthy@post.lab.test
        $reports = Invoke-ExchangeDiagnostic -EmailAddress spammer@post.lab.test, healthy@post.lab.test, healthy@post.lab.test -Credential $credential -DnsServer $dns -SkipMailFlow -ErrorVariable problems -ErrorAction SilentlyContinue
        @($reports).Count | Should -Be 1
        $reports.EmailAddress | Should -Be 'healthy@post.lab.test'
        $problems.Count | Should -Be 2
        $problems[0].Exception.Message | Should -Match 'does not match the credential'
        $problems[1].Exception.Message | Should -Match 'more than once'
        (Get-LabAccount spammer@post.lab.test).logins | Should -Be 0
    }

    It 'refuses to log in under one name (DOMAIN\user) for several mailboxes' {
        $credential = [pscredential]::new('LAB\someone', (ConvertTo-SecureString 'Wrong-Horse-9' -AsPlainText -Force))
        $reports = Invoke-ExchangeDiagnostic -EmailAddress healthy@post.lab.test, spammer@post.lab.test -Credential $credential -DnsServer $dns -SkipMailFlow -ErrorVariable problems -ErrorAction SilentlyContinue
        @($reports).Count | Should -Be 1
        $problems.Count | Should -Be 1
        $problems[0].Exception.Message | Should -Match 'would log in as LAB\\someone again, already used for healthy@post.lab.test'
    }

    It 'writes its messages in French with -Culture fr-FR, and in English with en-US' {
        $english = Invoke-LabDiagnostic healthy@post.lab.test 'Wrong-Horse-9' @{ Culture = 'en-US' }
        Reset-Lab
        $french = Invoke-LabDiagnostic healthy@post.lab.test 'Wrong-Horse-9' @{ Culture = 'fr-FR' }
        $english.Culture | Should -Be 'en-US'
        $french.Culture | Should -Be 'fr-FR'
        $french.Verdict | Should -Match 'mot de passe'
        $french.Causes[0].Remediation | Should -Match 'espace client'
        $french.Verdict | Should -Not -Be $english.Verdict
        $french.Causes[0].Remediation | Should -Not -Be $english.Causes[0].Remediation
        ($french.Results | Where-Object Check -eq ImapLogin).Message | Should -Match 'Non testé'
        [cultureinfo]::CurrentUICulture.Name | Should -Not -Be 'fr-FR' -Because 'the session''s own culture is left alone'
    }

    It 'shows which check runs with Write-Progress' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddArgument($env:EXCHANGEDIAG_MODULE).AddStatement()
            $null = $ps.AddCommand('Invoke-ExchangeDiagnostic').AddParameter('EmailAddress', 'healthy@post.lab.test').
                AddParameter('Credential', (New-LabCredential healthy@post.lab.test)).AddParameter('DnsServer', $dns).AddParameter('SkipMailFlow')
            $null = $ps.Invoke()
            $statuses = $ps.Streams.Progress | ForEach-Object StatusDescription
            $statuses | Should -Contain 'Checking the MX and SRV records'
            $statuses | Should -Contain 'Logging in: OWA'
            $statuses | Should -Contain 'Logging in: IMAP'
            ($ps.Streams.Progress | Select-Object -Last 1).RecordType | Should -Be 'Completed'
        }
        finally { $ps.Dispose() }
    }

    It 'explains itself with -Verbose and never shows the password in any stream' {
        $secret = 'Wrong-Horse-9'
        $everything = Invoke-LabDiagnostic healthy@post.lab.test $secret @{ Verbose = $true } *>&1
        $report = $everything | Where-Object { $_ -is [ExchangeDiag.DiagnosticReport] }
        $verbose = $everything | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $verbose.Message | Should -Contain 'Asking 127.0.0.77:5300 (from -DnsServer).'
        ($verbose.Message -match '^OwaLogin ') | Should -Not -BeNullOrEmpty
        $text = ($everything | Out-String -Width 400) + ($report | ConvertTo-Json -Depth 8) + ($report | Format-List | Out-String -Width 400)
        $text | Should -Not -Match ([regex]::Escape($secret))
    }

    It 'prints a short verdict and a table of the checks, and the causes with Format-List' {
        $report = Invoke-LabDiagnostic spammer@post.lab.test -Extra @{ SkipMailFlow = $true }
        $table = $report | Out-String -Width 160
        $table | Should -Match 'spammer@post.lab.test: .*Failed'
        # The verdict is wrapped at words to the window (Console.Tests.ps1 checks the widths).
        ($table -replace '\s+', ' ') | Should -Match ([regex]::Escape($report.Verdict))
        # Below 100 columns of window the explaining cause leads the message instead of a column of its own.
        $table | Should -Match 'Check\s+Target\s+Status\s+(Explained by\s+)?Message'
        $list = $report | Format-List | Out-String -Width 160
        $list | Should -Match 'AccountBlockedForSpam: '
        $list | Should -Match 'Remediation: '
    }
}
