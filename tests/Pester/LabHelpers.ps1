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
