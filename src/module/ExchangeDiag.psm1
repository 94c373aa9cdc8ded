# On PowerShell 7 the cmdlets are already in: the manifest's nested module (bin/ExchangeDiag.Loader.psd1)
# imported them from the module's own AssemblyLoadContext (see ExchangeDiag.LoadContext), so other
# modules' versions of DnsClient, MailKit... cannot clash with ours. What is left runs in C#, called as a
# command: it refuses a second copy of the module, registers the result types' names and Should
# -BeHealthyMailbox. This file stays that short because PowerShell compiles all of it, the branch it
# does not run included. Windows PowerShell loads the cmdlets in ExchangeDiag.Desktop.ps1.

if ($PSEdition -eq 'Core') {
    # Module-qualified: a function of the user's with that name cannot stand in.
    ExchangeDiag.Loader\Complete-ExchangeDiagImport
}
else {
    . "$PSScriptRoot\ExchangeDiag.Desktop.ps1"
}
