# Every output type exports (issue 20, point 7): Export-Csv writes no .NET type name and ConvertTo-Json at its default
# depth warns about nothing, for every public property of every object a cmdlet outputs; the README's manifest
# carries the row's own columns, clashing ones included.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sim = Start-TestSession -LatencyMs 0

    function Assert-Exports {
        param($Object, [string] $What, [string[]] $Property)
        $selected = if ($Property) { $Object | Select-Object -Property $Property } else { $Object }
        $row = $selected | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
        $names = if ($Property) { $Property } else { $Object.PSObject.Properties.Name }
        foreach ($name in $names) {
            $value = $Object.$name
            if ($null -eq $value) { continue }
            $cell = [string]$row.$name
            $cell | Should -Not -Be $value.GetType().FullName -Because "$What.$name must export as its value"
            $cell | Should -Not -Match '^(System|SeedreamPS|Microsoft)\.[\w.`+\[\], =]+$' -Because "$What.$name must export as its value"
        }
        $null = $selected | ConvertTo-Json -WarningVariable warned -WarningAction SilentlyContinue
        $warned | Should -BeNullOrEmpty -Because "$What must convert to JSON at the default depth"
    }
}

AfterAll { Stop-TestSession $sim }

Describe 'Every output type exports' {
    BeforeAll {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 0 }
        $connection = Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri -FilesBaseUri $sim.FilesUri -PollIntervalSec 0.1 -PassThru
        $out = New-TestFolder
        $row = [pscustomobject]@{ Name = 'hero'; Prompt = 'a hero'; Size = '16:9'; Quality = '2K'; Campaign = 'spring'; ReferenceImage = 'https://cdn.example.com/a.png; https://cdn.example.com/b.png' }
        $task = $row | New-SeedreamImage -Wait
        Invoke-RestMethod -Method Post -Uri "$($sim.Uri)/_sim/faults" -ContentType 'application/json' `
            -Body '[{"target":"evolink.create","kind":"TaskFail","errorCode":"content_policy_violation"}]' | Out-Null
        $failed = New-SeedreamImage -Prompt 'fails' -Wait -ErrorAction SilentlyContinue
        $files = $task | Save-SeedreamImage -Path $out -FileName '{Name}-{Index}.png' -Sidecar
        $added = @($files)[0].PSObject.Properties | Where-Object { $_.MemberType -eq 'NoteProperty' -and $_.Name -notlike 'PS*' -and $_.Name -ne 'UnixStat' } | ForEach-Object Name
    }

    It 'exports a <What>' -ForEach @(
        @{ What = 'task' }, @{ What = 'failed task' }, @{ What = 'task from Get-SeedreamTask' }, @{ What = 'model' }, @{ What = 'usage row' },
        @{ What = 'image info' }, @{ What = 'connection' }, @{ What = 'saved file' }
    ) {
        switch ($What) {
            'task' { Assert-Exports $task $What }
            'failed task' { Assert-Exports $failed $What }
            'task from Get-SeedreamTask' { Assert-Exports (Get-SeedreamTask -Id $task.Id) $What }
            'model' { Get-SeedreamModel | ForEach-Object { Assert-Exports $_ "model $($_.Id)" } }
            'usage row' { foreach ($by in 'Day', 'Gateway', 'Model', 'Campaign') { Get-SeedreamUsage -GroupBy $by | ForEach-Object { Assert-Exports $_ "usage by $by" } } }
            'image info' { Assert-Exports ($files | Get-SeedreamImageInfo) $What }
            'connection' { Assert-Exports $connection $What }
            # A FileInfo's own properties are PowerShell's; those the module adds are checked.
            'saved file' { Assert-Exports @($files)[0] $What -Property (@('Name', 'FullName', 'Length') + $added) }
        }
    }

    It 'drops the duplicated SeedreamTaskId and SeedreamImageIndex' {
        $file = @($files)[0]
        $file.PSObject.Properties['SeedreamTaskId'] | Should -BeNullOrEmpty
        $file.PSObject.Properties['SeedreamImageIndex'] | Should -BeNullOrEmpty
        $file.TaskId | Should -Be $task.Id
        $file.ImageIndex | Should -Be 0
    }

    It "carries the row's own columns in the README's manifest, clashing ones included" {
        $manifest = Join-Path (New-TestFolder) 'manifest.csv'
        $files | Select-Object @{ n = 'File'; e = 'Name' }, @{ n = 'Name'; e = { $_.SeedreamColumns.Name } },
            @{ n = 'Size'; e = { $_.SeedreamColumns.Size } }, TaskId, ImageIndex, Prompt, Quality, Model |
            Export-Csv $manifest
        $line = Import-Csv $manifest
        $line.File | Should -Be 'hero-0.png'
        $line.Name | Should -Be 'hero'
        $line.Size | Should -Be '16:9'
        $line.Quality | Should -Be '2K'
        $line.TaskId | Should -Be $task.Id
        $line.Prompt | Should -Be 'a hero'
    }

    It 'documents how a clashing column is reached, in the README and in help' {
        $readme = Get-Content -Raw (Join-Path (Get-TestRepoRoot) 'README.md')
        $readme | Should -Match ([regex]::Escape('$_.SeedreamColumns.Name'))
        (Get-Help Save-SeedreamImage -Full | Out-String) | Should -Match 'SeedreamColumns'
        (Get-Help about_SeedreamPS | Out-String) | Should -Match 'SeedreamColumns.Name'
    }
}
