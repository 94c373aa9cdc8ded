# -AuthMethod OAuth (Microsoft 365) against the lab's Entra ID (the Exchange emulator's identity
# provider at login.lab.test), its Exchange Online (outlook.lab.test, Bearer only) and real Dovecot
# and Postfix that verify the tokens' signatures themselves (XOAUTH2). MSAL itself does the sign-in.

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    . (Join-Path $PSScriptRoot 'LabHelpers.ps1')

    # The lab tenant (tests/lab/exchange-lab.json, identity).
    $script:tenant = '5f1b0c36-9a8e-4b0a-9d7c-1a2b3c4d5e6f'
    $script:publicClient = '9c4d0d3e-6b55-4f5a-8a53-1e2f3a4b5c6d'
    $script:noConsentClient = '0b3a1f52-6c7d-4e8f-9a0b-1c2d3e4f5a6b'
    $script:daemonClient = 'e7a5c2d1-3b4f-4a6e-8c9d-0e1f2a3b4c5d'
    $script:daemonCertificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new((Join-Path $env:EXCHANGEDIAG_LAB_PKI 'appClient.pfx'), [string]::Empty, 'Exportable')
    $script:person = @{ AuthMethod = 'OAuth'; TenantId = $tenant; ClientId = $publicClient; Authority = 'https://login.lab.test'; DnsServer = $dns }
    $script:app = @{ AuthMethod = 'OAuth'; TenantId = $tenant; ClientId = $daemonClient; Certificate = $daemonCertificate; Authority = 'https://login.lab.test'; DnsServer = $dns }

    # A person finishing the next device-code sign-in in a browser, as this account.
    function Set-NextSignIn([string] $Email) {
        $null = Invoke-RestMethod -Method Post -Uri "$control/idp/signin" -ContentType 'application/json' -Body (@{ email = $Email } | ConvertTo-Json)
    }

    # An administrator changes the account while the session holds its tokens (disables it, locks it, asks for MFA...).
    function Set-LabAccountState([string] $Email, [string] $State) {
        $null = Invoke-RestMethod -Method Post -Uri "$control/accounts/$Email/state" -ContentType 'application/json' -Body (@{ state = $State } | ConvertTo-Json)
    }

    # Everything a command wrote, in every stream, as text: what a transcript would hold.
    function Get-AllText([scriptblock] $Command) {
        $text = & $Command *>&1 | ForEach-Object { if ($_ -is [string]) { $_ } else { $_ | Format-List * -Force | Out-String -Width 400 } }
        ($text + ($text | ConvertTo-Json -Depth 6)) -join "`n"
    }
}

Describe 'OAuth sign-in of a person (device code)' {
    It 'shows the device code, signs in once, and Exchange Online takes the Bearer token on EWS' {
        Set-NextSignIn cloud@post.lab.test
        $result = Test-ExchangeEwsLogin -Server outlook.lab.test -UserPrincipalName cloud@post.lab.test @person -WarningVariable prompt -WarningAction SilentlyContinue
        $result.Status | Should -Be 'Passed' -Because $result.Message
        "$prompt" | Should -Match 'https://login\.lab\.test/devicelogin'
        "$prompt" | Should -Match 'enter the code [A-Z0-9]{8}'
        $result.Steps.Name | Should -Contain 'Sign-in'
    }

    It 'signs in silently for the rest of the session: IMAP and SMTP take XOAUTH2 with no second prompt' {
        $imap = Test-ExchangeImapLogin -Server imap.lab.test -UserPrincipalName cloud@post.lab.test @person -WarningVariable imapPrompt
        $imap.Status | Should -Be 'Passed' -Because $imap.Message
        ($imap.Steps | Where-Object Name -eq 'AUTHENTICATE').Detail | Should -Match 'XOAUTH2 \*{8}'
        $imapPrompt | Should -BeNullOrEmpty

        $smtp = Test-ExchangeSmtpSend -Server mail.lab.test -UserPrincipalName cloud@post.lab.test @person -WarningVariable smtpPrompt -Confirm:$false
        $smtp.Status | Should -Be 'Passed' -Because $smtp.Message
        $smtpPrompt | Should -BeNullOrEmpty
    }

    It 'a message goes round through SMTP and IMAP with XOAUTH2 (Test-ExchangeMailFlow), the address signing in as itself' {
        $result = Test-ExchangeMailFlow -EmailAddress cloud@post.lab.test -SmtpServer mail.lab.test -ImapServer imap.lab.test -TimeoutSeconds 60 @person -Confirm:$false
        $result.Status | Should -Be 'Passed' -Because $result.Message
    }

    It 'Autodiscover sends the token to no host outside Exchange Online' {
        $result = Test-ExchangeAutodiscover -EmailAddress cloud@post.lab.test @person -TimeoutSeconds 20
        $result.Status | Should -Not -Be 'Passed'
        ($result.Steps | Where-Object Detail -match 'token goes only to Exchange Online').Count | Should -BeGreaterThan 0
    }

    It 'the OWA check is the Entra ID sign-in and one EWS request with the token' {
        $result = Test-ExchangeOwaLogin -Server outlook.lab.test -UserPrincipalName cloud@post.lab.test @person
        $result.Status | Should -Be 'Passed' -Because $result.Message
        $result.Message | Should -Match 'Microsoft Entra ID'
    }

    # Entra ID shows a refused sign-in to the person in the browser; the device code is never authorized,
    # so the client polls until it expires (tests/ExchangeEmulator/README.md, "The device-code flow").
    It 'a device-code sign-in Entra ID refuses in the browser (<Email>) ends when the code expires: SignInIncomplete, and Exchange is never contacted' -ForEach @(
        @{ Email = 'cloud-disabled@post.lab.test' }
        @{ Email = 'cloud-expired@post.lab.test' }
        @{ Email = 'cloud-locked@post.lab.test' }
        @{ Email = 'cloud-ca@post.lab.test' }
    ) {
        Set-NextSignIn $Email
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $result = Test-ExchangeEwsLogin -Server outlook.lab.test -UserPrincipalName $Email @person -WarningVariable prompt -WarningAction SilentlyContinue
        $clock.Stop()
        "$prompt" | Should -Match 'devicelogin'
        $result.Status | Should -Be 'Error'
        $result.Cause | Should -Be 'SignInIncomplete'
        # Polled until the lab's device code (5 s) expired, not refused at once.
        $clock.Elapsed.TotalSeconds | Should -BeGreaterThan 4
        $result.Steps.Name | Should -Not -Contain 'HTTP POST https://outlook.lab.test/EWS/Exchange.asmx'
    }

    # One account per case: MSAL answers a silent request refused as needing the person from its own memory for
    # two minutes (its throttling of MsalUiRequiredException), so the same account would repeat the first case's answer.
    It 'names the cause Entra ID gives at the silent refresh once <Email> is <State>, and never contacts the mail server' -ForEach @(
        @{ Email = 'cloud-becomes-disabled@post.lab.test'; State = 'disabled'; Cause = 'AccountDisabled'; Code = 'AADSTS50057' }
        @{ Email = 'cloud-becomes-expired@post.lab.test'; State = 'passwordExpired'; Cause = 'PasswordExpired'; Code = 'AADSTS50055' }
        @{ Email = 'cloud-becomes-locked@post.lab.test'; State = 'locked'; Cause = 'AccountLocked'; Code = 'AADSTS50053' }
        @{ Email = 'cloud-becomes-ca@post.lab.test'; State = 'conditionalAccessBlocked'; Cause = 'ConditionalAccessBlocked'; Code = 'AADSTS53003' }
    ) {
        try {
            # Signed in while healthy (configured so): the person sees a device code once.
            Set-NextSignIn $Email
            $ews = Test-ExchangeEwsLogin -Server outlook.lab.test -UserPrincipalName $Email @person -WarningVariable prompt -WarningAction SilentlyContinue
            $ews.Status | Should -Be 'Passed' -Because $ews.Message
            "$prompt" | Should -Match 'devicelogin'

            Set-LabAccountState $Email $State
            # No access token for IMAP's scope in the cache yet: MSAL redeems the refresh token, and Entra ID answers for the account as it is now.
            $imap = Test-ExchangeImapLogin -Server imap.lab.test -UserPrincipalName $Email @person -WarningVariable prompt -WarningAction SilentlyContinue
            $prompt | Should -BeNullOrEmpty
            $imap.Status | Should -Be 'Failed'
            $imap.Cause | Should -Be $Cause
            $imap.Message | Should -Match $Code
            $imap.Remediation | Should -Not -BeNullOrEmpty
            $imap.Steps.Name | Where-Object { $_ -match '^TCP ' } | Should -BeNullOrEmpty
        }
        finally {
            Set-LabAccountState $Email healthy
        }
    }

    It 'asks for MFA after the sign-in: the silent refresh gets AADSTS50076, a second device code is shown, and the MFA done in the browser completes it' {
        try {
            Set-LabAccountState cloud-mfa@post.lab.test healthy
            Set-NextSignIn cloud-mfa@post.lab.test
            $ews = Test-ExchangeEwsLogin -Server outlook.lab.test -UserPrincipalName cloud-mfa@post.lab.test @person -WarningAction SilentlyContinue
            $ews.Status | Should -Be 'Passed' -Because $ews.Message

            # The sign-in behind the refresh token had no MFA; the person answers the next prompt with it.
            Set-LabAccountState cloud-mfa@post.lab.test mfaRequired
            Set-NextSignIn cloud-mfa@post.lab.test
            $imap = Test-ExchangeImapLogin -Server imap.lab.test -UserPrincipalName cloud-mfa@post.lab.test @person -WarningVariable prompt -WarningAction SilentlyContinue
            @($prompt | Where-Object { "$_" -match 'devicelogin' }).Count | Should -Be 1 -Because "the refresh's 50076 asks the person again (IMAP said: $($imap.Cause), $($imap.Message))"
            $imap.Status | Should -Be 'Passed' -Because $imap.Message
        }
        finally {
            Set-LabAccountState cloud-mfa@post.lab.test mfaRequired
        }
    }

    It 'a sign-in made as another account is no finding about the mailbox' {
        Set-NextSignIn cloud@post.lab.test
        $result = Test-ExchangeEwsLogin -Server outlook.lab.test -UserPrincipalName cloud-other@post.lab.test @person -WarningAction SilentlyContinue
        $result.Status | Should -Be 'Error'
        $result.Cause | Should -Be 'SignInIncomplete'
        $result.Message | Should -Match 'cloud@post\.lab\.test'
    }

    It 'an app without consent is ConsentRequired, an unknown app AppRegistrationInvalid: Errors, not the mailbox' {
        Set-NextSignIn cloud@post.lab.test
        $consent = Test-ExchangeEwsLogin -Server outlook.lab.test -UserPrincipalName cloud@post.lab.test @person -ClientId $noConsentClient -WarningAction SilentlyContinue
        $consent.Status | Should -Be 'Error'
        $consent.Cause | Should -Be 'ConsentRequired'
        $consent.Message | Should -Match 'AADSTS65001'

        $unknown = Test-ExchangeEwsLogin -Server outlook.lab.test -UserPrincipalName cloud@post.lab.test @person -ClientId ([guid]::NewGuid()) -WarningAction SilentlyContinue
        $unknown.Status | Should -Be 'Error'
        $unknown.Cause | Should -Be 'AppRegistrationInvalid'
        $unknown.Message | Should -Match 'AADSTS700016'
    }

    It 'Invoke-ExchangeDiagnostic reports an account disabled since the sign-in as one cause, with no new prompt' {
        try {
            # cloud-disabled has a mailbox in the mail lab, so the diagnosis's other checks find nothing else to report.
            Set-LabAccountState cloud-disabled@post.lab.test healthy
            Set-NextSignIn cloud-disabled@post.lab.test
            $ews = Test-ExchangeEwsLogin -Server outlook.lab.test -UserPrincipalName cloud-disabled@post.lab.test @person -WarningAction SilentlyContinue
            $ews.Status | Should -Be 'Passed' -Because $ews.Message

            Set-LabAccountState cloud-disabled@post.lab.test disabled
            $report = Invoke-ExchangeDiagnostic -EmailAddress cloud-disabled@post.lab.test -ExchangeServer outlook.lab.test -SkipMailFlow -SkipDomainAuthentication @person -WarningVariable prompts -WarningAction SilentlyContinue
            @($prompts | Where-Object { "$_" -match 'devicelogin' }).Count | Should -Be 0 -Because "the session's sign-in serves every cmdlet (causes: $($report.Causes.Cause -join ', '))"
            $report.Causes[0].Cause | Should -Be 'AccountDisabled'
            $report.Status | Should -Be 'Failed'
        }
        finally {
            Set-LabAccountState cloud-disabled@post.lab.test disabled
        }
    }
}

Describe 'OAuth sign-in of an app (certificate, no person)' {
    It 'opens the mailbox through EWS impersonation, with no prompt' {
        $result = Test-ExchangeEwsLogin -Server outlook.lab.test -UserPrincipalName cloud@post.lab.test @app -WarningVariable prompt
        $result.Status | Should -Be 'Passed' -Because $result.Message
        $prompt | Should -BeNullOrEmpty
    }

    It 'IMAP and SMTP take the app''s token for the mailbox it names (XOAUTH2), with no prompt' {
        $imap = Test-ExchangeImapLogin -Server imap.lab.test -UserPrincipalName cloud@post.lab.test @app -WarningVariable prompt
        $imap.Status | Should -Be 'Passed' -Because $imap.Message
        $smtp = Test-ExchangeSmtpSend -Server mail.lab.test -UserPrincipalName cloud@post.lab.test @app -Confirm:$false
        $smtp.Status | Should -Be 'Passed' -Because $smtp.Message
        $prompt | Should -BeNullOrEmpty
    }

    It 'a token the server refuses is TokenRefused, not a wrong password, and locks nothing' {
        # Entra ID issues the app's token; the mail server has no such mailbox and refuses it (NO AUTHENTICATE failed).
        $imap = Test-ExchangeImapLogin -Server imap.lab.test -UserPrincipalName nobody@post.lab.test @app -TimeoutSeconds 20
        $imap.Status | Should -Be 'Failed'
        $imap.Cause | Should -Be 'TokenRefused'
        $imap.CredentialRefused | Should -BeFalse
        $smtp = Test-ExchangeSmtpSend -Server mail.lab.test -UserPrincipalName nobody@post.lab.test @app -TimeoutSeconds 20 -Confirm:$false
        $smtp.Status | Should -Be 'Failed'
        $smtp.Cause | Should -Be 'TokenRefused'
    }

    It 'a certificate the app registration does not know is AppRegistrationInvalid' {
        $key = [System.Security.Cryptography.RSA]::Create(2048)
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=not registered', $key, 'SHA256', [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $stranger = $request.CreateSelfSigned([datetimeoffset]::Now.AddDays(-1), [datetimeoffset]::Now.AddDays(30))
        $result = Test-ExchangeEwsLogin -Server outlook.lab.test -UserPrincipalName cloud@post.lab.test @app -Certificate $stranger
        $result.Status | Should -Be 'Error'
        $result.Cause | Should -Be 'AppRegistrationInvalid'
        $result.Message | Should -Match 'AADSTS700027'
    }

    It 'ends the invocation when an app is named without its tenant' {
        { Test-ExchangeEwsLogin -Server outlook.lab.test -UserPrincipalName cloud@post.lab.test -AuthMethod OAuth -Certificate $daemonCertificate -ClientId $daemonClient -DnsServer $dns -ErrorAction Stop } |
            Should -Throw -ErrorId 'OAuth_AppNeedsTenant,ExchangeDiag.Commands.TestExchangeEwsLoginCommand'
    }
}

Describe 'OAuth and secrets' {
    It 'never shows a token, even with -Verbose, in the results or their JSON' {
        Set-NextSignIn cloud@post.lab.test
        $text = Get-AllText {
            Test-ExchangeEwsLogin -Server outlook.lab.test -UserPrincipalName cloud@post.lab.test @person -Verbose -WarningAction SilentlyContinue
            Test-ExchangeImapLogin -Server imap.lab.test -UserPrincipalName cloud@post.lab.test @person -Verbose
            Test-ExchangeEwsLogin -Server outlook.lab.test -UserPrincipalName cloud@post.lab.test @app -Verbose
        }
        $text | Should -Match 'Sign-in'
        # A JWT starts with the base64url of '{"': eyJ. None may appear, nor an XOAUTH2 string (base64 of "user=").
        $text | Should -Not -Match 'eyJ[A-Za-z0-9_-]{10,}'
        $text | Should -Not -Match 'dXNlcj[0-9A-Za-z+/]{10,}'
    }

    It 'keeps the token from a server only a discovery named (TokenWithheld), and sends it to one the user names' {
        Set-NextSignIn cloud@post.lab.test
        $withheld = Get-LabDiscovery | Test-ExchangeEwsLogin -UserPrincipalName cloud@post.lab.test @person -WarningAction SilentlyContinue
        $withheld.Status | Should -Be 'Error'
        $withheld.Cause | Should -Be 'TokenWithheld'
        $withheld.Steps.Name | Should -Not -Contain 'HTTP POST https://ex1.lab.test/EWS/Exchange.asmx'
    }

    It 'does not skip certificate checks where a token goes, and says so' {
        $result = Test-ExchangeEwsLogin -Server outlook.lab.test -UserPrincipalName cloud@post.lab.test @app -SkipCertificateCheck -WarningVariable warned
        "$warned" | Should -Match 'SkipCertificateCheck'
        $result.Status | Should -Be 'Passed'
    }

    It 'a password is refused at Exchange Online''s own hosts before it is sent' {
        $result = Test-ExchangeImapLogin -Server outlook.office365.com -Credential (New-LabCredential cloud@post.lab.test) -DnsServer $dns
        $result.Status | Should -Be 'Error'
        $result.Cause | Should -Be 'BasicAuthDisabled'
        $result.Steps.Name | Should -Not -Contain 'TCP outlook.office365.com:993'
    }
}
