# Export-ExchangeDiagnosticReport: the files it writes, the HTML as Debian's headless Chromium
# renders and prints it, and no password in any format. Reports come from Invoke-ExchangeDiagnostic
# against the lab when the build has it; the rest of the tests build them from real Test-* results.

BeforeAll {
    Import-Module $env:EXCHANGEDIAG_MODULE -Force
    . (Join-Path $PSScriptRoot 'LabHelpers.ps1')
    . (Join-Path $PSScriptRoot 'ReportHelpers.ps1')
    $script:wrongPassword = 'Wrong-Horse-9-Report'

    # Every form a password could leak in: as typed, and base64 as SMTP AUTH LOGIN and PLAIN send it.
    function Get-SecretForm([string] $User, [string] $Secret) {
        $Secret
        [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Secret))
        [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("`0$User`0$Secret"))
    }

    # Writes the reports in every format and returns the files.
    function Export-EveryFormat($Reports, [string] $Name) {
        foreach ($extension in 'html', 'md', 'json') {
            $Reports | Export-ExchangeDiagnosticReport -Path (Join-Path $TestDrive "$Name.$extension") -PassThru
        }
    }
}

Describe 'Export-ExchangeDiagnosticReport' {
    BeforeAll {
        $script:failing = New-TestReport
        $script:healthy = New-TestReport -EmailAddress other@lab.test -Status Passed -Verdict 'The mailbox works: all 2 checks passed.'
    }

    It 'writes every report of the pipeline into one file, in the format the extension names' {
        $files = Export-EveryFormat ($failing, $healthy) 'two'
        $files | Should -HaveCount 3
        $files | ForEach-Object { $_ | Should -BeOfType ([IO.FileInfo]) }

        $html = Get-Content $files[0].FullName -Raw
        $html | Should -Match '<!DOCTYPE html>'
        $html | Should -Match 'href="#mailbox-2">other@lab.test</a>'
        $html | Should -Match 'The password is wrong: every protocol refused it.'
        (Get-Content $files[1].FullName -Raw) | Should -Match '(?m)^## other@lab\.test$'
        $json = Get-Content $files[2].FullName -Raw | ConvertFrom-Json
        $json.SchemaVersion | Should -Be 1
        $json.Reports.EmailAddress | Should -Be @('healthy@lab.test', 'other@lab.test')
        $json.Reports[0].Status | Should -Be 'Failed'
        $json.Reports[0].Results[1].Type | Should -Be 'OwaLoginResult'
    }

    It 'takes the reports from -InputObject as well' {
        Export-ExchangeDiagnosticReport -InputObject $failing, $healthy -Path (Join-Path $TestDrive 'param.json')
        (Get-Content (Join-Path $TestDrive 'param.json') -Raw | ConvertFrom-Json).Reports | Should -HaveCount 2
    }

    It 'writes UTF-8 without a byte order mark' {
        $failing | Export-ExchangeDiagnosticReport -Path (Join-Path $TestDrive 'fr.md') -Culture fr-FR
        $bytes = [IO.File]::ReadAllBytes((Join-Path $TestDrive 'fr.md'))
        $bytes[0..2] | Should -Not -Be @(0xEF, 0xBB, 0xBF)
        [Text.Encoding]::UTF8.GetString($bytes) | Should -Match '### Vérifications'
    }

    It 'resolves a relative -Path against the PowerShell location, not the process directory' {
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive 'relative')
        Push-Location $folder
        try {
            [Environment]::CurrentDirectory | Should -Not -Be $folder.FullName
            $failing | Export-ExchangeDiagnosticReport report.html
        }
        finally { Pop-Location }
        Join-Path $folder 'report.html' | Should -Exist
    }

    It 'lets -Format override the extension, and refuses a name that names no format' {
        $failing | Export-ExchangeDiagnosticReport -Path (Join-Path $TestDrive 'out.txt') -Format Json
        (Get-Content (Join-Path $TestDrive 'out.txt') -Raw | ConvertFrom-Json).SchemaVersion | Should -Be 1

        { $failing | Export-ExchangeDiagnosticReport -Path (Join-Path $TestDrive 'out.pdf') -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownReportFormat,ExchangeDiag.Commands.ExportExchangeDiagnosticReportCommand' -ExpectedMessage '*-Format Html, Markdown or Json*'
        Join-Path $TestDrive 'out.pdf' | Should -Not -Exist
    }

    It 'keeps an existing file with -NoClobber, and writes nothing with -WhatIf' {
        $path = Join-Path $TestDrive 'kept.md'
        Set-Content $path 'keep me'
        { $failing | Export-ExchangeDiagnosticReport -Path $path -NoClobber -ErrorAction Stop } |
            Should -Throw -ErrorId 'FileExists,ExchangeDiag.Commands.ExportExchangeDiagnosticReportCommand'
        Get-Content $path | Should -Be 'keep me'

        $failing | Export-ExchangeDiagnosticReport -Path (Join-Path $TestDrive 'whatif.md') -WhatIf
        Join-Path $TestDrive 'whatif.md' | Should -Not -Exist
    }

    It 'stops the pipeline before the diagnosis starts when the folder is missing or -Path is a folder' {
        $script:diagnosed = 0
        $missing = Join-Path $TestDrive 'no-such-folder' 'report.html'
        { 1 | ForEach-Object { $script:diagnosed++; $failing } | Export-ExchangeDiagnosticReport -Path $missing -ErrorAction Stop } |
            Should -Throw -ErrorId 'ReportFolderNotFound,ExchangeDiag.Commands.ExportExchangeDiagnosticReportCommand' -ExpectedMessage "*no-such-folder*does not exist*"
        { 1 | ForEach-Object { $script:diagnosed++; $failing } | Export-ExchangeDiagnosticReport -Path $TestDrive -Format Html -ErrorAction Stop } |
            Should -Throw -ErrorId 'PathIsAFolder,ExchangeDiag.Commands.ExportExchangeDiagnosticReportCommand'
        $script:diagnosed | Should -Be 0
        $missing | Should -Not -Exist
    }

    It 'writes its headings in the PowerShell UI culture, or in the one -Culture names' {
        $before = [cultureinfo]::CurrentUICulture
        try {
            [cultureinfo]::CurrentUICulture = 'fr-FR'
            $failing | Export-ExchangeDiagnosticReport -Path (Join-Path $TestDrive 'ui.md')
            $failing | Export-ExchangeDiagnosticReport -Path (Join-Path $TestDrive 'en.md') -Culture en-US
        }
        finally { [cultureinfo]::CurrentUICulture = $before }
        Get-Content (Join-Path $TestDrive 'ui.md') -Raw | Should -Match '### Que faire'
        Get-Content (Join-Path $TestDrive 'en.md') -Raw | Should -Match '### What to do'
    }

    It 'writes no file, with an error, when it receives no report' {
        @() | Export-ExchangeDiagnosticReport -Path (Join-Path $TestDrive 'empty.html') -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.FullyQualifiedErrorId | Should -Be 'NoDiagnosticReport,ExchangeDiag.Commands.ExportExchangeDiagnosticReportCommand'
        Join-Path $TestDrive 'empty.html' | Should -Not -Exist
    }

    It 'refuses what is not a diagnostic report, and writes the reports beside it' {
        'healthy@lab.test' | Export-ExchangeDiagnosticReport -Path (Join-Path $TestDrive 'text.html') -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -Be 'NotADiagnosticReport,ExchangeDiag.Commands.ExportExchangeDiagnosticReportCommand'
        $problems[0].Exception.Message | Should -Match "'healthy@lab.test' is neither a diagnostic report nor the result of a Test-\* cmdlet"
        Join-Path $TestDrive 'text.html' | Should -Not -Exist

        @('not a report', $failing) | Export-ExchangeDiagnosticReport -Path (Join-Path $TestDrive 'mixed.json') -ErrorAction SilentlyContinue
        (Get-Content (Join-Path $TestDrive 'mixed.json') -Raw | ConvertFrom-Json).Reports.EmailAddress | Should -Be 'healthy@lab.test'
    }

    Context 'reports and results that went through serialization' {
        It 'writes the same JSON again from ConvertFrom-Json of its own JSON export' {
            $first = Join-Path $TestDrive 'first.json'
            $second = Join-Path $TestDrive 'second.json'
            $failing, $healthy | Export-ExchangeDiagnosticReport -Path $first
            Get-Content $first -Raw | ConvertFrom-Json | Export-ExchangeDiagnosticReport -Path $second -ErrorVariable problems
            $problems | Should -BeNullOrEmpty
            (Get-Content $second -Raw) | Should -Be (Get-Content $first -Raw)
        }

        It 'takes the reports of the JSON export one by one (.Reports), in HTML with their checks and causes' {
            $json = Join-Path $TestDrive 'for-html.json'
            $failing | Export-ExchangeDiagnosticReport -Path $json
            $html = Join-Path $TestDrive 'from-json.html'
            (Get-Content $json -Raw | ConvertFrom-Json).Reports | Export-ExchangeDiagnosticReport -Path $html
            $text = Get-Content $html -Raw
            $text | Should -Match 'The password is wrong: every protocol refused it.'
            $text | Should -Match 'Reset the mailbox password in the control panel'
            $text | Should -Match '302 to /owa/auth/logon.aspx\?reason=2'
            $text | Should -Match '&lt;script&gt;alert\(1\)&lt;/script&gt;'
        }

        It 'takes reports read back with Import-Clixml, steps, causes and times included' {
            $xml = Join-Path $TestDrive 'reports.xml'
            $failing | Export-Clixml -Path $xml -Depth 6
            $md = Join-Path $TestDrive 'from-clixml.md'
            Import-Clixml $xml | Export-ExchangeDiagnosticReport -Path $md -ErrorVariable problems
            $problems | Should -BeNullOrEmpty
            $text = Get-Content $md -Raw
            $text | Should -Match '(?m)^## healthy@lab\.test$'
            $text | Should -Match 'Reset the mailbox password in the control panel'
            $text | Should -Match 'PASSED-STEP-DETAIL mx0\.mail\.ovh\.net'

            $json = Join-Path $TestDrive 'from-clixml.json'
            Import-Clixml $xml | Export-ExchangeDiagnosticReport -Path $json
            $report = (Get-Content $json -Raw | ConvertFrom-Json).Reports[0]
            $report.Status | Should -Be 'Failed'
            $report.Causes[0].Cause | Should -Be 'WrongPassword'
            $report.Results.Type | Should -Be @('MxCheckResult', 'OwaLoginResult')
            $report.Results[1].Steps[0].Duration | Should -Be 120
            $report.Duration | Should -Be 1234
        }

        It 'writes a single Test-* result as a report of its own, live or from a background job' {
            $live = Test-ExchangeMx -Domain post.lab.test -DnsServer $dns
            $md = Join-Path $TestDrive 'mx.md'
            $live | Export-ExchangeDiagnosticReport -Path $md
            $text = Get-Content $md -Raw
            $text | Should -Match '(?m)^## post\.lab\.test$'
            $text | Should -Match ([regex]::Escape($live.Message))

            $job = Start-Job -ScriptBlock { param($Module, $Dns) Import-Module $Module; Test-ExchangeMx -Domain post.lab.test -DnsServer $Dns } -ArgumentList $env:EXCHANGEDIAG_MODULE, $dns
            $fromJob = $job | Receive-Job -Wait -AutoRemoveJob
            $json = Join-Path $TestDrive 'mx-job.json'
            $fromJob | Export-ExchangeDiagnosticReport -Path $json -ErrorVariable problems
            $problems | Should -BeNullOrEmpty
            $report = (Get-Content $json -Raw | ConvertFrom-Json).Reports[0]
            $report.EmailAddress | Should -Be 'post.lab.test'
            $report.Results[0].Type | Should -Be 'MxCheckResult'
            $report.Results[0].Status | Should -Be $live.Status.ToString()
            $report.Results[0].Steps.Count | Should -Be $live.Steps.Count -Because 'the module deepens the serialization of its results, so a job keeps their steps'
            $report.Results[0].PSObject.Properties.Name | Should -Not -Contain 'PSComputerName'
        }
    }

    It 'never writes the password, in any format, from real results of a wrong-password login' {
        Reset-Lab
        $credential = New-LabCredential healthy@lab.test $wrongPassword
        $results = @(
            Test-ExchangeMx -Domain lab.test -DnsServer $dns
            Test-ExchangeOwaLogin -Server ex1.lab.test -Credential $credential -DnsServer $dns
            Test-ExchangeAutodiscover -EmailAddress healthy@lab.test -Credential $credential -DnsServer $dns
            Test-ExchangeSmtpSend -Server mail.lab.test -Credential (New-LabCredential healthy@post.lab.test $wrongPassword) -DnsServer $dns
            Test-ExchangeImapLogin -Server mail.lab.test -Credential (New-LabCredential healthy@post.lab.test $wrongPassword) -DnsServer $dns
        )
        ($results | Where-Object Status -eq 'Failed') | Should -Not -BeNullOrEmpty -Because 'the wrong password must have been tried'
        $files = Export-EveryFormat (New-TestReport -Results $results) 'wrong-password'

        $secrets = @(Get-SecretForm healthy@lab.test $wrongPassword) + @(Get-SecretForm healthy@post.lab.test $wrongPassword)
        foreach ($file in $files) {
            $text = Get-Content $file.FullName -Raw
            $text | Should -Match 'SmtpSend' -Because "$($file.Name) holds the results"
            foreach ($secret in $secrets) { $text | Should -Not -Match ([regex]::Escape($secret)) -Because "$($file.Name) must not hold the password" }
        }
        Reset-Lab
    }

    Context 'from Invoke-ExchangeDiagnostic against the lab' {
        It 'never writes the password of a failed diagnosis, in any format' {
            Reset-Lab
            $report = Invoke-ExchangeDiagnostic -EmailAddress healthy@lab.test -Credential (New-LabCredential healthy@lab.test $wrongPassword) -DnsServer $dns
            $report.Passed | Should -BeFalse
            $files = Export-EveryFormat $report 'diagnosis-wrong-password'
            foreach ($file in $files) {
                $text = Get-Content $file.FullName -Raw
                foreach ($secret in Get-SecretForm healthy@lab.test $wrongPassword) {
                    $text | Should -Not -Match ([regex]::Escape($secret)) -Because "$($file.Name) must not hold the password"
                }
            }
            Reset-Lab
        }

        It 'never writes the password of a healthy diagnosis, in any format' {
            Reset-Lab
            $report = Invoke-ExchangeDiagnostic -EmailAddress healthy@lab.test -Credential (New-LabCredential healthy@lab.test) -DnsServer $dns
            foreach ($file in Export-EveryFormat $report 'diagnosis-healthy') {
                (Get-Content $file.FullName -Raw) | Should -Not -Match 'Correct-Horse-1' -Because "$($file.Name) must not hold the password"
            }
        }
    }

    Context 'rendered by headless Chromium' {
        BeforeAll {
            Initialize-Chromium
            # Normalises what pdftotext lays out in columns, so a sentence can be found whole.
            function Get-Words([string] $Text) { ($Text -replace '\s+', ' ').Trim() }
        }

        It 'prints the verdict, the remediation and every step trace, even those folded on screen' {
            $html = Join-Path $TestDrive 'print.html'
            $failing, $healthy | Export-ExchangeDiagnosticReport -Path $html
            $printed = Get-Words (Get-PrintedText $html)

            $printed | Should -Match ([regex]::Escape('The password is wrong: every protocol refused it.'))
            $printed | Should -Match ([regex]::Escape('Reset the mailbox password in the control panel, then update it on every device.'))
            $printed | Should -Match 'PASSED-STEP-DETAIL' -Because 'a passed check folds its steps on screen but prints them'
            $printed | Should -Match ([regex]::Escape('<script>alert(1)</script>')) -Because 'markup in a message is shown as text, not run'
        }

        It 'prints the French headings with -Culture fr-FR' {
            $html = Join-Path $TestDrive 'print-fr.html'
            $failing | Export-ExchangeDiagnosticReport -Path $html -Culture fr-FR
            $printed = Get-Words (Get-PrintedText $html)
            $printed | Should -Match 'Que faire'
            $printed | Should -Match 'Vérifications'
        }

        It 'takes a screenshot of a real diagnosis' {
            Reset-Lab
            $report = Invoke-ExchangeDiagnostic -EmailAddress spammer@post.lab.test -Credential (New-LabCredential spammer@post.lab.test) -DnsServer $dns -SkipMailFlow
            $html = Join-Path $TestDrive 'screenshot.html'
            $report | Export-ExchangeDiagnosticReport -Path $html
            $png = Join-Path $TestDrive 'report.png'
            Save-Screenshot $html $png

            $bytes = [IO.File]::ReadAllBytes($png)
            $bytes[0..3] | Should -Be @(0x89, 0x50, 0x4E, 0x47) -Because 'Chromium writes a PNG'
            $bytes.Length | Should -BeGreaterThan 20000 -Because 'a rendered page is more than a blank image'
            # The README's picture is refreshed on request only, so a test run leaves the work tree clean.
            if ($env:EXCHANGEDIAG_UPDATE_SCREENSHOT) { Copy-Item $png (Join-Path $env:EXCHANGEDIAG_REPO 'docs/images/report.png') -Force }
            Reset-Lab
        }

        It 'shows the verdict of a real diagnosis' {
            Reset-Lab
            $report = Invoke-ExchangeDiagnostic -EmailAddress spammer@post.lab.test -Credential (New-LabCredential spammer@post.lab.test) -DnsServer $dns -SkipMailFlow
            $html = Join-Path $TestDrive 'diagnosis.html'
            $report | Export-ExchangeDiagnosticReport -Path $html
            $printed = Get-Words (Get-PrintedText $html)
            $printed | Should -Match ([regex]::Escape((Get-Words $report.Verdict)))
            $printed | Should -Match ([regex]::Escape((Get-Words $report.Causes[0].Remediation)))
            Save-Screenshot $html (Join-Path $TestDrive 'diagnosis.png')
            Join-Path $TestDrive 'diagnosis.png' | Should -Exist
        }
    }
}
