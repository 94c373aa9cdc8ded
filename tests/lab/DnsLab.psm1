# A real authoritative DNS server (NSD, from Debian's packages) on loopback, serving zones that
# cover every case the DNS checks classify. Start-DnsLab installs NSD when it is missing.

$script:LabAddress = '127.0.0.77'
$script:LabPort = 5300
$script:DefaultPortAddress = '127.0.0.78'

function Install-Nsd {
    if (Get-Command nsd -ErrorAction Ignore) { return }
    if ((id -u) -ne '0') { throw 'NSD is not installed and this is not root: run "apt-get install nsd" first.' }
    Write-Host 'Installing NSD from the Debian packages...'
    $env:DEBIAN_FRONTEND = 'noninteractive'
    & apt-get update -qq | Out-Null
    & apt-get install -y -qq nsd | Out-Null
    if (-not (Get-Command nsd -ErrorAction Ignore)) { throw 'apt-get could not install nsd.' }
}

function Get-LabZones {
    # Every zone file the lab serves, as name => text. Names under .test never leave the machine.
    $soa = '@ 3600 IN SOA ns.lab.test. hostmaster.lab.test. 1 3600 600 86400 60'
    $ns = '@ 3600 IN NS ns.lab.test.'

    # A 2048-bit DKIM key, published by the lab's mail domains (and, for the selectors the OVHcloud API
    # emulator names, by the provider's zone they are aliases into).
    $dkimKey = '"v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAw08hJjGD9i6ExzfdUigv4A7NSuOd0eAjL/50sFqQFM5oPYqaL1u3yAwjknAxWVnUvYZyacvqzvS5R3FyX2om0fNop5RZ51483uML74pDSDITfh5EwT3EoRAYf9zBjG7/kTteVvW3CpB+waBhEiGbg2kV0tj1" "FIlJrJ+a2TmO5R6afJH5rpYSmKfjjxkeQKnRXZ0HuMEiKbJZnSs3jrmMZcdwqLu44kr1YlJ7VT5Y4mNncVeLEonQarPHNE4LmivevWw8QRLKse/Yy34fvqFNfVM9ZmHFIpXsn7m4bV5jxBPDTqKidqNPMEzlrjlZbXcqH3MNRbVIy75SGMPZ4bM8UQIDAQAB"'
    $ovh = foreach ($suffix in 'net', 'ca') {
        $lines = @($soa, $ns)
        foreach ($selector in 'ovhex1234-selector1', 'ovhex1234-selector2') { $lines += "$selector._domainkey.1500.ab.dkim TXT $dkimKey" }
        foreach ($n in 0..4) { $lines += "mx$n 300 IN A 192.0.2.$(10 + $n)" }
        foreach ($n in 1..4) { $lines += "ex$n 300 IN A 192.0.2.$(20 + $n)" }
        @{ Name = "mail.ovh.$suffix"; Text = $lines -join "`n" }
    }

    # The provider's five MX records for one owner name.
    $ovhMx = { param($owner) foreach ($mx in '1 mx0', '5 mx1', '50 mx2', '100 mx3', '200 mx4') { "$owner MX $mx.mail.ovh.net." } }
    $lab = @(
        $soa, $ns
        'ns A 127.0.0.77'
        'host A 192.0.2.50'
        'host AAAA 2001:db8::50'
        'mail1 A 192.0.2.51'
        'mail2 A 192.0.2.52'
        'alias CNAME host.lab.test.'
        'outside-alias CNAME ex4.mail.ovh.net.'
        # MX cases
        & $ovhMx 'ovh-ok'
        'ovh-partial MX 5 mx1.mail.ovh.net.'
        'ovh-foreign MX 5 mx1.mail.ovh.net.'
        'ovh-foreign MX 10 mx.other.test.'
        'ovh-exonly MX 10 ex4.mail.ovh.net.'
        'ca-ok MX 1 mx0.mail.ovh.ca.'
        'ca-ok MX 5 mx1.mail.ovh.ca.'
        'ca-ok MX 50 mx2.mail.ovh.ca.'
        'ca-ok MX 100 mx3.mail.ovh.ca.'
        'ca-ok MX 200 mx4.mail.ovh.ca.'
        'nomx A 192.0.2.60'
        'nullmx MX 0 .'
        'custom MX 10 mail1.lab.test.'
        'custom MX 20 mail2.lab.test.'
        'cname-mx MX 10 alias.lab.test.'
        'half-dead MX 10 host.lab.test.'
        'half-dead MX 20 dead.lab.test.'
        'all-dead MX 10 dead.lab.test.'
        'all-dead MX 20 gone.lab.test.'
        # A target in a zone this server does not serve: it answers REFUSED, as a domain's own
        # authoritative server does for the provider's hosts.
        'refused-target MX 10 mx.unserved.example.'
        # The Exchange emulator's hosts (ExchangeLab.psm1): one address per certificate case.
        'ex1 A 127.0.0.90'
        # ex2: OWA's defaults (ChangeExpiredPasswordEnabled off); online: EWS answers 456 as Exchange Online.
        'ex2 A 127.0.0.90'
        'online A 127.0.0.90'
        # echo: a careless server that repeats the login (form, Authorization header) in its refusals.
        'echo A 127.0.0.90'
        'legacy A 127.0.0.90'
        # Microsoft 365 in the lab: the identity provider (Entra ID) and Exchange Online (OAuth only).
        'login A 127.0.0.90'
        'outlook A 127.0.0.90'
        'broken A 127.0.0.90'
        'www A 127.0.0.90'
        'expired A 127.0.0.91'
        'notyet A 127.0.0.92'
        'expiring A 127.0.0.93'
        'selfsigned A 127.0.0.94'
        'revoked A 127.0.0.96'
        'wrongname A 127.0.0.97'
        'unreachable A 127.0.0.98'
        'unreachable2 A 127.0.0.89'
        'silent A 127.0.0.121'
        # Autodiscover: each domain reaches the emulator by one method of [MS-OXDISCO] only.
        'ad-root A 127.0.0.90'
        'autodiscover.ad-sub A 127.0.0.90'
        'ad-http A 127.0.0.98'
        'autodiscover.ad-http A 127.0.0.95'
        '_autodiscover._tcp.ad-srv SRV 0 0 443 ex1.lab.test.'
        # The domain root is Exchange and refuses a wrong password; the SRV record would reach it too.
        'ad-401 A 127.0.0.90'
        '_autodiscover._tcp.ad-401 SRV 0 0 443 ex1.lab.test.'
        '_autodiscover._tcp.ad-addr SRV 0 0 443 ex1.lab.test.'
        '_autodiscover._tcp.ad-url SRV 0 0 443 ex1.lab.test.'
        '_autodiscover._tcp.ad-loop SRV 0 0 443 ex1.lab.test.'
        '_autodiscover._tcp.ad-err SRV 0 0 443 ex1.lab.test.'
        # A redirect that leaves HTTPS: its target must never receive credentials.
        'autodiscover.ad-badredirect A 127.0.0.95'
        # The mail lab (MailLab.psm1): Postfix on 127.0.0.110, Dovecot on 127.0.0.111.
        'mail A 127.0.0.110'
        # Like an Exchange server, mail.lab.test serves IMAP too: Dovecot's address is its second.
        'mail A 127.0.0.111'
        'smtp A 127.0.0.110'
        'imap A 127.0.0.111'
        'post MX 10 mail.lab.test.'
        '_autodiscover._tcp.post SRV 0 0 443 ex1.lab.test.'
        # Inbound: the first MX host is down (nothing listens on 25 there), the second answers.
        'post-backup MX 10 unreachable.lab.test.'
        'post-backup MX 20 mail.lab.test.'
        'inbound-dead MX 10 unreachable.lab.test.'
        # The Exchange server the SRV record names is down while the MX host answers: a platform incident.
        'incident MX 10 mail.lab.test.'
        '_autodiscover._tcp.incident SRV 0 0 443 unreachable.lab.test.'
        # No server of the domain answers, on two hosts: what a computer without a network sees.
        'offline MX 10 unreachable.lab.test.'
        '_autodiscover._tcp.offline SRV 0 0 443 unreachable2.lab.test.'
        # SRV cases
        '_autodiscover._tcp.ovh-ok SRV 0 0 443 ex4.mail.ovh.net.'
        '_autodiscover._tcp.ca-ok SRV 0 0 443 ex2.mail.ovh.ca.'
        '_autodiscover._tcp.srv-port SRV 0 0 8443 ex4.mail.ovh.net.'
        '_autodiscover._tcp.srv-foreign SRV 0 0 443 host.lab.test.'
        '_autodiscover._tcp.srv-dead SRV 0 0 443 ex99.mail.ovh.net.'
        '_autodiscover._tcp.srv-weight SRV 10 5 443 ex4.mail.ovh.net.'
        '_autodiscover._tcp.srv-dot SRV 0 0 443 .'
        '_autodiscover._tcp.srv-alias SRV 0 0 443 outside-alias.lab.test.'
        '_autodiscover._tcp.srv-two SRV 0 0 443 ex4.mail.ovh.net.'
        '_autodiscover._tcp.srv-two SRV 0 0 443 ex1.mail.ovh.net.'
        '_autodiscover._tcp.srv-refused SRV 0 0 443 autodiscover.unserved.example.'
    )
    # The mail domains the diagnosis tests use publish good mail authentication, as a healthy domain
    # does: SPF naming their MX hosts, a 2048-bit DKIM key under selector1, and DMARC at lab.test
    # that their own names inherit (the DMARC tree walk). Their reports then stay Passed.
    foreach ($owner in '@', 'post', 'incident', 'offline') {
        $sub = if ($owner -ne '@') { ".$owner" }
        $lab += "$owner TXT `"v=spf1 mx ip4:127.0.0.0/8 -all`""
        $lab += "selector1._domainkey$sub TXT $dkimKey"
        # The selectors the OVHcloud API emulator lists for its domains, CNAMEs to the provider as its guide has them.
        foreach ($selector in 'ovhex1234-selector1', 'ovhex1234-selector2') { $lab += "$selector._domainkey$sub CNAME $selector._domainkey.1500.ab.dkim.mail.ovh.net." }
    }
    $lab += '_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@lab.test"'

    # Sixty MX records with long names make an answer larger than NSD's 1232-byte UDP limit, so
    # the client must retry over TCP to see them all.
    foreach ($n in 1..60) {
        $name = 'relay-{0:D2}-with-a-deliberately-long-host-name' -f $n
        $lab += "$name A 192.0.2.$(100 + $n)"
        $lab += "many-mx MX $n $name.lab.test."
    }

    # A thousand domains for the benchmark, each with the provider's MX set and SRV record.
    foreach ($n in 1..1000) {
        $owner = 'bench{0:D4}' -f $n
        $lab += & $ovhMx $owner
        $lab += "_autodiscover._tcp.$owner SRV 0 0 443 ex$($n % 4 + 1).mail.ovh.net."
    }

    @{ Name = 'lab.test'; Text = $lab -join "`n" }
    @{ Name = 'other.test'; Text = (@($soa, $ns, 'mx A 192.0.2.99') -join "`n") }
    $ovh

    # Zones of their own, one file each (zones/<zone>.zone holds the records, relative to the zone):
    # the cases of the domain-authentication checks (SPF, DKIM, DMARC, blocklists, MTA-STS).
    foreach ($file in Get-ChildItem (Join-Path $PSScriptRoot 'zones') -Filter '*.zone' -ErrorAction Ignore) {
        @{ Name = $file.BaseName; Text = (@($soa, $ns) + @(Get-Content $file.FullName)) -join "`n" }
    }
}

function Start-DnsLab {
    <#
    .SYNOPSIS
        Starts NSD on 127.0.0.77:5300, [::1]:5300 and 127.0.0.78:53; returns the lab's addresses.
    #>
    [CmdletBinding()]
    param(
        [string] $WorkDir = (Join-Path ([IO.Path]::GetTempPath()) "exchangediag-dnslab-$PID"),
        # More zones, written by the caller (a benchmark's millions of records): @{ Name = 'scale.test'; File = '/path/scale.test.zone' }.
        [hashtable[]] $ExtraZone = @(),
        [int] $LoadSeconds = 20,
        # Only this address and port ("127.0.0.79:5300"): a second server beside the test lab's, for a benchmark's zone.
        [string] $OnlyOn
    )

    Install-Nsd
    if (Test-Path $WorkDir) { Remove-Item $WorkDir -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $WorkDir

    $zoneConfig = foreach ($zone in Get-LabZones) {
        $file = "$($zone.Name).zone"
        Set-Content -Path (Join-Path $WorkDir $file) -Value ("`$ORIGIN $($zone.Name).`n`$TTL 300`n" + $zone.Text + "`n") -NoNewline
        "zone:`n  name: $($zone.Name)`n  zonefile: $file`n"
    }
    $zoneConfig += foreach ($zone in $ExtraZone) { "zone:`n  name: $($zone.Name)`n  zonefile: $($zone.File)`n" }
    # A zone NSD is configured for but cannot load: NSD answers SERVFAIL for it.
    $zoneConfig += "zone:`n  name: broken.test`n  zonefile: broken.test.zone`n"
    Set-Content -Path (Join-Path $WorkDir 'broken.test.zone') -Value 'this is not a zone file'

    $listen = if ($OnlyOn) { @($OnlyOn -replace ':', '@') } else { @("$($script:LabAddress)@$($script:LabPort)", "::1@$($script:LabPort)", "$($script:DefaultPortAddress)@53") }
    $config = @"
server:
$(($listen | ForEach-Object { "  ip-address: $_" }) -join "`n")
  username: ""
  chroot: ""
  zonesdir: "$WorkDir"
  database: ""
  zonelistfile: "$WorkDir/zone.list"
  xfrdfile: "$WorkDir/xfrd.state"
  xfrdir: "$WorkDir"
  pidfile: "$WorkDir/nsd.pid"
  logfile: "$WorkDir/nsd.log"
  server-count: 1
  verbosity: 1
  hide-version: yes
  rrl-ratelimit: 0
  ipv4-edns-size: 1232
  ipv6-edns-size: 1232
remote-control:
  control-enable: no
$($zoneConfig -join "`n")
"@
    $configPath = Join-Path $WorkDir 'nsd.conf'
    Set-Content -Path $configPath -Value $config
    & nsd-checkconf $configPath
    if ($LASTEXITCODE -ne 0) { throw "nsd-checkconf rejected $configPath" }

    & nsd -c $configPath
    if ($LASTEXITCODE -ne 0) { throw "nsd did not start; see $WorkDir/nsd.log" }

    $deadline = [DateTime]::UtcNow.AddSeconds($LoadSeconds)
    $log = Join-Path $WorkDir 'nsd.log'
    while (-not ((Test-Path $log) -and (Select-String -Path $log -Pattern 'nsd started' -Quiet))) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "NSD did not load its zones within $LoadSeconds s:`n$(Get-Content $log -Raw -ErrorAction Ignore)" }
        Start-Sleep -Milliseconds 100
    }

    [pscustomobject]@{
        WorkDir            = $WorkDir
        Server             = if ($OnlyOn) { $OnlyOn } else { "$($script:LabAddress):$($script:LabPort)" }
        ServerV6           = "[::1]:$($script:LabPort)"
        ServerDefaultPort  = $script:DefaultPortAddress
        PidFile            = Join-Path $WorkDir 'nsd.pid'
    }
}

function Stop-DnsLab {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Lab)

    if (Test-Path $Lab.PidFile) {
        $nsdPid = [int](Get-Content $Lab.PidFile -Raw)
        Stop-Process -Id $nsdPid -ErrorAction Ignore
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while ((Get-Process -Id $nsdPid -ErrorAction Ignore) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
    }
    Remove-Item $Lab.WorkDir -Recurse -Force -ErrorAction Ignore
}

function New-ScaleZone {
    <#
    .SYNOPSIS
        Writes the zone scale.test: d1 .. dN, each with the provider's five MX records and its
        _autodiscover._tcp SRV record, so that every domain is Passed with -Provider OvhEurope.
        Streamed to disk: a million domains are six million records. With -NameFile, the names
        too, one per line, and with -DigFile the same as `dig -f` reads them ("d1.scale.test MX").
    #>
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [int] $Count, [string] $NameFile, [string] $DigFile)

    foreach ($list in @(@{ File = $NameFile; Suffix = '' }, @{ File = $DigFile; Suffix = ' MX' })) {
        if (-not $list.File) { continue }
        $names = [IO.StreamWriter]::new($list.File, $false, [Text.UTF8Encoding]::new($false), 1MB)
        try { for ($n = 1; $n -le $Count; $n++) { $names.Write("d$n.scale.test$($list.Suffix)`n") } }
        finally { $names.Dispose() }
    }

    $writer = [IO.StreamWriter]::new($Path, $false, [Text.UTF8Encoding]::new($false), 1MB)
    try {
        $writer.Write("`$ORIGIN scale.test.`n`$TTL 300`n@ 3600 IN SOA ns.lab.test. hostmaster.lab.test. 1 3600 600 86400 60`n@ 3600 IN NS ns.lab.test.`n")
        for ($n = 1; $n -le $Count; $n++) {
            $writer.Write("d$n MX 1 mx0.mail.ovh.net.`nd$n MX 5 mx1.mail.ovh.net.`nd$n MX 50 mx2.mail.ovh.net.`nd$n MX 100 mx3.mail.ovh.net.`nd$n MX 200 mx4.mail.ovh.net.`n_autodiscover._tcp.d$n SRV 0 0 443 ex$($n % 4 + 1).mail.ovh.net.`n")
        }
    }
    finally { $writer.Dispose() }
    @{ Name = 'scale.test'; File = $Path }
}

Export-ModuleMember -Function Start-DnsLab, Stop-DnsLab, New-ScaleZone
