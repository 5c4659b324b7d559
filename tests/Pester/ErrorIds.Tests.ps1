# Error ids a script can match (issue 20, point 4): every error the module raises has a SeedreamPS. id, and the ids
# each gateway produces are listed under it in about_SeedreamPS.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sim = Start-TestSession -LatencyMs 0
    $about = (Get-Help about_SeedreamPS | Out-String)
    $byGateway = $about.Substring($about.IndexOf('ERROR IDS BY GATEWAY'))

    function Add-Fault([string] $Json) {
        Invoke-RestMethod -Method Post -Uri "$($sim.Uri)/_sim/faults" -ContentType 'application/json' -Body $Json | Out-Null
    }
    function Get-ErrorId([scriptblock] $Action) {
        try { $first = & $Action 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | Select-Object -First 1 }
        catch { $first = $_ }
        if ($first) { $first.FullyQualifiedErrorId.Split(',')[0] }
    }
    # The part of the list under one gateway's heading.
    function Get-Section([string] $Gateway) {
        $start = $byGateway.IndexOf("    $Gateway (")
        $next = @('EvoLink (', 'LinkModel (', 'ModelArk (', 'Any gateway:') | ForEach-Object { $byGateway.IndexOf("    $_", $start + 5) } | Where-Object { $_ -gt $start } | Sort-Object | Select-Object -First 1
        $byGateway.Substring($start, $next - $start)
    }
}

AfterAll { Stop-TestSession $sim }

Describe 'Every error has a SeedreamPS. id' {
    It 'gives <Case> a SeedreamPS. id' -ForEach @(
        @{ Case = 'an http:// base URI on Connect-Seedream'; Action = { Connect-Seedream -Gateway EvoLink -ApiKey k -BaseUri http://api.example.com }; Id = 'SeedreamPS.InvalidParameter.BaseUri' }
        @{ Case = "-ApiKey '' on Connect-Seedream"; Action = { Connect-Seedream -Gateway EvoLink -ApiKey '' }; Id = 'SeedreamPS.InvalidParameter.ApiKey' }
        @{ Case = "-ApiKey '' on New-SeedreamImage"; Action = { New-SeedreamImage -Prompt p -ApiKey '' }; Id = 'SeedreamPS.InvalidParameter.ApiKey' }
        @{ Case = 'an http:// -BaseUri on New-SeedreamImage'; Action = { New-SeedreamImage -Prompt p -ApiKey k -BaseUri http://api.example.com }; Id = 'SeedreamPS.InvalidParameter.BaseUri' }
        @{ Case = 'an http:// -BaseUri on Get-SeedreamTask'; Action = { Get-SeedreamTask -Id task-unified-1-x -ApiKey k -BaseUri http://api.example.com }; Id = 'SeedreamPS.InvalidParameter.BaseUri' }
    ) {
        Get-ErrorId $Action | Should -Be $Id
        $about | Should -Match ([regex]::Escape($Id))
    }
}

Describe 'The ids each gateway produces are listed under it' {
    BeforeEach { Reset-Sim $sim }

    It 'lists EvoLink''s' {
        $ids = @(
            Get-ErrorId { New-SeedreamImage -Prompt p -ApiKey wrong -Gateway EvoLink -BaseUri $sim.EvoLinkUri }
            & { Add-Fault '[{"target":"evolink.create","kind":"Status","status":402}]'; Get-ErrorId { New-SeedreamImage -Prompt p -ApiKey $sim.ApiKey -Gateway EvoLink -BaseUri $sim.EvoLinkUri } }
            & { Add-Fault '[{"target":"evolink.create","kind":"TaskFail","errorCode":"content_policy_violation"}]'; Connect-TestGateway; Get-ErrorId { New-SeedreamImage -Prompt p -Wait } }
        )
        $section = Get-Section 'EvoLink'
        foreach ($id in $ids) {
            $id | Should -Not -BeNullOrEmpty
            $id | Should -BeLike 'SeedreamPS.*'
            $section | Should -Match ([regex]::Escape($id.Replace('SeedreamPS.TaskFailed.', '.').Replace('SeedreamPS.Api.', 'SeedreamPS.Api.')))
        }
    }

    It 'lists ModelArk''s' {
        $ids = @(
            Get-ErrorId { New-SeedreamImage -Prompt p -ApiKey wrong -Gateway ModelArk -BaseUri $sim.ModelArkUri }
            & { Add-Fault '[{"target":"modelark.create","kind":"TaskFail","errorCode":"OutputImageSensitiveContentDetected"}]'; Get-ErrorId { New-SeedreamImage -Prompt p -ApiKey $sim.ApiKey -Gateway ModelArk -BaseUri $sim.ModelArkUri } }
        )
        $section = Get-Section 'ModelArk'
        foreach ($id in $ids) { $section | Should -Match ([regex]::Escape($id)) }
    }

    It 'lists LinkModel''s by their form' {
        $id = Get-ErrorId { New-SeedreamImage -Prompt p -ApiKey wrong -Gateway LinkModel -BaseUri $sim.LinkModelUri }
        $id | Should -Match '^SeedreamPS\.Api\.\w+$'
        Get-Section 'LinkModel' | Should -Match ([regex]::Escape('SeedreamPS.Api.<code>'))
    }
}
