# The demo (build.ps1 -Task Demo) against the running lab: each case must yield its cause, and the
# reports must be written. The demo is the README's main job, so CI runs its assertions here.

Describe 'The demo' {
    It 'names the right first cause for the healthy mailbox and each failure account, and writes the reports' {
        $output = Join-Path $TestDrive 'demo'
        $log = & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $env:EXCHANGEDIAG_REPO 'tests/lab/Invoke-LabDemo.ps1') `
            -ModuleManifest $env:EXCHANGEDIAG_MODULE -OutputPath $output *>&1
        $LASTEXITCODE | Should -Be 0 -Because ($log -join "`n")
        ($log -join "`n") | Should -Match 'Every case yielded its expected cause'
        # Its output here is a pipe, as when the demo is piped to a file: no colour code may reach it.
        ($log -join "`n").Contains([string][char]27) | Should -BeFalse -Because 'the views colour only a terminal'
        @(Get-ChildItem $output -Filter *.html).Count | Should -Be 14 -Because 'one per case and one with every mailbox'
        @(Get-ChildItem $output -Filter *.md).Count | Should -Be 13
        @(Get-ChildItem $output -Filter *.json).Count | Should -Be 13
        Get-Content (Join-Path $output 'all-mailboxes.html') -Raw | Should -Match 'spammer@post\.lab\.test'
    }
}
