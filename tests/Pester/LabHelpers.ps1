# Shared by the tests that use the lab (the Exchange emulator, its accounts, the UI culture): dot-source it in BeforeAll.

$script:dns = $env:EXCHANGEDIAG_LAB_DNS
$script:control = $env:EXCHANGEDIAG_LAB_CONTROL

# The lab accounts' password (tests/lab/exchange-lab.json), unless another is given.
function New-LabCredential([string] $User, [string] $Secret = 'Correct-Horse-1') {
    [pscredential]::new($User, (ConvertTo-SecureString $Secret -AsPlainText -Force))
}

# Login counters and lock state the emulator keeps for an account.
function Get-LabAccount([string] $User) { Invoke-RestMethod -Uri "$control/accounts/$User" }

# Fresh counters and no lock, so that each test sees only its own logins.
function Reset-Lab { $null = Invoke-RestMethod -Method Post -Uri "$control/reset" }

# Runs the script with the PowerShell UI culture set, as a French- or English-speaking user has it.
function Invoke-InCulture([string] $Culture, [scriptblock] $Script) {
    $before = [cultureinfo]::CurrentUICulture
    try {
        [cultureinfo]::CurrentUICulture = $Culture
        & $Script
    }
    finally {
        [cultureinfo]::CurrentUICulture = $before
    }
}

# Runs a command line in a fresh pwsh with the module and these helpers, and returns every line it
# printed: "What if:" lines go to the host, which no stream redirection in this process captures.
function Invoke-InFreshPwsh([string] $Command) {
    $script = ". '$PSCommandPath'; Import-Module '$env:EXCHANGEDIAG_MODULE'; `$dns = '$dns'; $Command"
    Push-Location $env:EXCHANGEDIAG_REPO
    try { & dotnet pwsh -NoProfile -NonInteractive -Command $script 2>&1 | ForEach-Object { "$_" } }
    finally { Pop-Location }
}

# A real discovery of user@ad-root.lab.test whose properties are then set as another Exchange would
# answer (an internal Server name, no OWA URL): the emulator always names ex1.lab.test.
function Get-LabDiscovery([hashtable] $Set = @{}) {
    $discovery = Test-ExchangeAutodiscover -EmailAddress user@ad-root.lab.test -Credential (New-LabCredential healthy@lab.test) -DnsServer $dns
    foreach ($property in $Set.GetEnumerator()) {
        $discovery.GetType().GetProperty($property.Key).SetValue($discovery, $property.Value)
    }
    $discovery
}

# Runs a command line that sends mail with -WhatIf in a fresh pwsh, and returns what it printed and
# how many messages the mailbox's INBOX held before and after (a second later, for a late delivery).
function Invoke-WhatIfSend([string] $Mailbox, [string] $Command) {
    $credential = New-LabCredential $Mailbox
    $before = (Test-ExchangeImapLogin -Server imap.lab.test -Credential $credential -DnsServer $dns).InboxCount
    $output = Invoke-InFreshPwsh "`$r = $Command -WhatIf; 'results: ' + @(`$r).Count"
    Start-Sleep -Seconds 1
    [pscustomobject]@{
        Output = $output
        Before = $before
        After  = (Test-ExchangeImapLogin -Server imap.lab.test -Credential $credential -DnsServer $dns).InboxCount
    }
}
