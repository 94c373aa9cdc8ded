@{
    RootModule           = 'ExchangeDiag.psm1'
    # PowerShell 7's cmdlets, imported before the psm1 runs (see that manifest).
    NestedModules        = @('bin/ExchangeDiag.Loader.psd1')
    ModuleVersion        = '0.1.0'
    GUID                 = '6f0d8c2e-4b1a-4f57-9d3e-2a7c5e91b4d8'
    Author               = 'ExchangeDiag contributors'
    CompanyName          = 'ExchangeDiag'
    Copyright            = '(c) 2026 ExchangeDiag contributors. MIT licence.'
    Description          = 'Diagnoses hosted Exchange mailboxes from PowerShell: MX and autodiscover SRV records against what the provider (OVHcloud Exchange) documents, OWA, EWS and Autodiscover logins, SMTP submission, IMAP login and TLS certificates, with typed results for consoles, scripts and Pester tests, and reports in HTML, Markdown or JSON.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    CmdletsToExport      = @(
        'Test-ExchangeMx'
        'Test-ExchangeSrv'
        'Test-ExchangeOwaLogin'
        'Test-ExchangeEwsLogin'
        'Test-ExchangeAutodiscover'
        'Test-ExchangeCertificate'
        'Test-ExchangeSmtpSend'
        'Test-ExchangeImapLogin'
        'Test-ExchangeMailFlow'
        'Test-ExchangeInboundSmtp'
        'Test-ExchangeSpf'
        'Test-ExchangeDkim'
        'Test-ExchangeDmarc'
        'Test-ExchangeBlocklist'
        'Test-ExchangeMtaSts'
        'Invoke-ExchangeDiagnostic'
        'Export-ExchangeDiagnosticReport'
        'Connect-ExchangeDiagOvh'
        'Disconnect-ExchangeDiagOvh'
        'Get-ExchangeAccountState'
        'Invoke-ExchangeDiagnosticOvh'
        'New-ExchangeSupportTicket'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @('Invoke-OvhExchangeDiagnosis')
    PrivateData          = @{
        PSData = @{
            Tags         = @('Exchange', 'DNS', 'MX', 'SRV', 'Autodiscover', 'OWA', 'EWS', 'SMTP', 'IMAP', 'TLS', 'Diagnostics', 'OVHcloud', 'Mail', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/exchangediag/ExchangeDiag'
            LicenseUri   = 'https://github.com/exchangediag/ExchangeDiag/blob/main/LICENSE'
            ReleaseNotes = '0.1.0: DNS (MX, SRV), OWA/EWS/Autodiscover logins, SMTP submission, IMAP login and certificate checks; typed results; HTML, Markdown and JSON reports; help in English and French. See CHANGELOG.md.'
        }
    }
}
