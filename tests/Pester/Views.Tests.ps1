# Views fit 80 columns (issue 20, point 8): cron logs, redirected output and a default terminal are 80 wide.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sim = Start-TestSession -LatencyMs 0
    $connection = Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri -FilesBaseUri $sim.FilesUri -PollIntervalSec 0.1 -PassThru
    $task = [pscustomobject]@{ Name = 'hero'; Prompt = 'a hero banner with a long prompt that goes on'; Campaign = 'spring' } | New-SeedreamImage -Wait
    Invoke-RestMethod -Method Post -Uri "$($sim.Uri)/_sim/faults" -ContentType 'application/json' `
        -Body '[{"target":"evolink.create","kind":"TaskFail","errorCode":"content_policy_violation"}]' | Out-Null
    $failed = New-SeedreamImage -Prompt 'fails' -Wait -ErrorAction SilentlyContinue
    $files = $task | Save-SeedreamImage -Path (New-TestFolder) -FileName '{Name}-{Index}.png' -Sidecar

    function Get-View($Objects) { ($Objects | Out-String -Width 80) -split "`r?`n" }
    function Assert-Fits($Objects) {
        foreach ($line in (Get-View $Objects)) { $line.TrimEnd().Length | Should -BeLessOrEqual 80 -Because "'$line' must fit 80 columns" }
    }
}

AfterAll { Stop-TestSession $sim }

Describe 'Default views at 80 columns' {
    It 'shows why a task failed' {
        Assert-Fits @($task, $failed)
        $view = (Get-View @($task, $failed)) -join "`n"
        $view | Should -Match 'content_policy_violation'
        $view | Should -Match 'Failed'
        $view | Should -Match ([regex]::Escape($task.Id))
    }

    It 'shows every model with its price, formatted explicitly' {
        $models = Get-SeedreamModel
        Assert-Fits $models
        $view = (Get-View $models) -join "`n"
        $priced = $models | Where-Object { $null -ne $_.PricePerImageUsd } | Select-Object -First 1
        $view | Should -Match ([regex]::Escape($priced.PricePerImageUsd.ToString('0.000#', [cultureinfo]::InvariantCulture)))
        $view | Should -Match 'USD/image'
    }

    It 'shows usage with its cost to the tenth of a cent' {
        $usage = Get-SeedreamUsage -GroupBy Model
        Assert-Fits $usage
        $view = (Get-View $usage) -join "`n"
        $view | Should -Match '\d+\.\d{3}'
    }

    It 'shows image info and saved files' {
        Assert-Fits ($files | Get-SeedreamImageInfo)
        ((Get-View ($files | Get-SeedreamImageInfo)) -join "`n") | Should -Match 'hero-0\.png'
        Assert-Fits $files
    }

    It 'shows the connection with its journal and without its key' {
        Assert-Fits $connection
        $view = (Get-View $connection) -join "`n"
        $view | Should -Match 'Journal'
        # A long path wraps onto the next line rather than being cut.
        ($view -replace '\s*\n\s*', '') | Should -Match ([regex]::Escape($env:SEEDREAM_JOURNAL_PATH))
        $view | Should -Match 'PollInterval : 0\.1 s|PollInterval : 0,1 s'
        $view | Should -Not -Match $sim.ApiKey
    }
}
