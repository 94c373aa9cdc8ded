# [pscredential]::Empty passes PowerShell's Mandatory check but carries no user and no password:
# every credentialed cmdlet must say so as bad input, never crash with a NullReferenceException.

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
}

Describe 'An empty credential' {
    It '<Name> answers [pscredential]::Empty with an EmptyCredential InvalidArgument error' -ForEach @(
        @{ Name = 'Test-ExchangeSmtpSend'; Arguments = @{ Server = '127.0.0.1' } }
        @{ Name = 'Test-ExchangeOwaLogin'; Arguments = @{ Server = '127.0.0.1' } }
        @{ Name = 'Test-ExchangeEwsLogin'; Arguments = @{ Server = '127.0.0.1' } }
        @{ Name = 'Test-ExchangeAutodiscover'; Arguments = @{ EmailAddress = 'someone@lab.test' } }
        @{ Name = 'Invoke-ExchangeDiagnostic'; Arguments = @{ EmailAddress = 'someone@lab.test' } }
    ) {
        $problem = $null
        $output = try {
            & $Name @Arguments -Credential ([pscredential]::Empty) -TimeoutSeconds 2 -ErrorAction Stop
        }
        catch { $problem = $_ }

        $output | Should -BeNullOrEmpty -Because 'nothing was checked'
        $problem | Should -Not -BeNullOrEmpty
        $problem.FullyQualifiedErrorId | Should -BeLike 'EmptyCredential*'
        $problem.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problem.Exception | Should -Not -BeOfType ([System.NullReferenceException])
        $problem.Exception.Message | Should -Match 'Credential is empty'
    }
}
