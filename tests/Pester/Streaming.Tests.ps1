# ModelArk streaming and inline images through the real pipeline (issue 23): each file on disk as soon as its image
# exists. Order is proven from the simulator's own record of each batch (GET /_sim/batches), never from timings.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
    $sim = Start-SeedreamSimulator -LatencyMs 0

    function Connect-Fresh {
        $env:SEEDREAM_JOURNAL_PATH = Join-Path (New-TestFolder) 'journal.jsonl'
        Connect-Seedream -Gateway ModelArk -ApiKey $sim.ApiKey -BaseUri $sim.ModelArkUri -JournalPath $env:SEEDREAM_JOURNAL_PATH
    }
    function Get-SimBatch { @(Invoke-RestMethod -Uri "$($sim.Uri)/_sim/batches") }
    function Add-SimFault([string] $Json) {
        Invoke-RestMethod -Method Post -Uri "$($sim.Uri)/_sim/faults" -Body $Json -ContentType 'application/json' | Out-Null
    }
}

AfterAll { Stop-TestSession $sim }

Describe 'Streaming by default where the model supports it' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 0; modelArkImageLatencyMs = 300 }
        Connect-Fresh
    }

    It 'says which models stream in the catalogue (4.0, 4.5, 5.0-lite on ModelArk; not 5.0 Pro)' {
        $ark = Get-SeedreamModel -Gateway ModelArk
        ($ark | Where-Object SupportsStreaming).Version | Sort-Object | Should -Be @('4.0', '4.5', '5.0')
        ($ark | Where-Object Version -eq '5.0-pro').SupportsStreaming | Should -BeFalse
    }

    It 'writes each file downstream as its image arrives, in arrival order, while the rest are still being made' {
        $d = New-TestFolder
        $seen = New-Object System.Collections.Generic.List[object]
        New-SeedreamImage 'a lighthouse in five variations' -Model 4.0 -Quality 1K -Count 5 |
            Save-SeedreamImage -Path $d -FileName 'light-{Index}{Ext}' |
            ForEach-Object {
                # What the simulator had sent when this file came down the pipeline: its own record of the batch.
                $batch = Get-SimBatch | Select-Object -First 1
                $seen.Add([pscustomobject]@{ Name = $_.Name; Sent = @($batch.events).Count; Outcome = $batch.outcome })
            }
        $seen.Name | Should -Be @('light-0.jpeg', 'light-1.jpeg', 'light-2.jpeg', 'light-3.jpeg', 'light-4.jpeg')
        $seen[0].Outcome | Should -Be 'making'
        $seen[0].Sent | Should -BeLessThan 5
        $batch = Get-SimBatch
        $batch.Count | Should -Be 1
        $batch[0].streamed | Should -BeTrue
        $batch[0].outcome | Should -Be 'completed'
        Get-SimCounter $sim 'modelark.create' | Should -Be 1
        # Write order on disk matches arrival order.
        (Get-ChildItem -LiteralPath $d | Sort-Object LastWriteTimeUtc).Name | Should -Be $seen.Name
    }

    It 'reports a refused image for its index and saves the others' {
        Add-SimFault '[{"target":"modelark.create","kind":"PartialFail","imageIndex":1,"errorCode":"OutputImageSensitiveContentDetected"}]'
        $d = New-TestFolder
        $files = @(New-SeedreamImage 'three' -Model 4.5 -Quality 2K -Count 3 -ErrorVariable ev -ErrorAction SilentlyContinue |
            Save-SeedreamImage -Path $d -ErrorVariable +ev -ErrorAction SilentlyContinue)
        $files.Count | Should -Be 2
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.TaskFailed.OutputImageSensitiveContentDetected*'
        $ev[0].Exception.Message | Should -BeLike 'Image 1 of task ark-*'
    }

    It 'keeps what arrived from a stream broken off, reports the rest, and -Resume requests nothing again' {
        Add-SimFault '[{"target":"modelark.create","kind":"StreamBreak","afterImages":2}]'
        $d = New-TestFolder
        $files = @(New-SeedreamImage 'four' -Model 4.0 -Quality 1K -Count 4 -ErrorVariable ev -ErrorAction SilentlyContinue |
            Save-SeedreamImage -Path $d -FileName '{Index}{Ext}' -ErrorVariable +ev -ErrorAction SilentlyContinue)
        $files.Count | Should -Be 2
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.Api.stream_broken*'
        $ev[0].Exception.Message | Should -BeLike '*broke off after 2 image(s)*'

        # The rerun reuses the task (no create) and keeps the two files it finds saved (nothing written, nothing output).
        $again = @(New-SeedreamImage 'four' -Model 4.0 -Quality 1K -Count 4 -Resume | Save-SeedreamImage -Path $d -FileName '{Index}{Ext}')
        Get-SimCounter $sim 'modelark.create' | Should -Be 1
        @(Get-ChildItem -LiteralPath $d).Count | Should -Be 2
        $again.Count | Should -Be 0
    }

    It '-NoStream asks for all images in one answer' {
        $d = New-TestFolder
        @(New-SeedreamImage 'two' -Model 4.0 -Quality 1K -Count 2 -NoStream | Save-SeedreamImage -Path $d).Count | Should -Be 2
        (Get-SimBatch)[0].streamed | Should -BeFalse
    }
}

Describe 'Inline images' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 0; modelArkImageLatencyMs = 50 }
        Connect-Fresh
    }

    It 'writes each image straight to its file with no download, marked as AI-made' {
        $d = New-TestFolder
        $files = @(New-SeedreamImage 'inline' -Model 4.0 -Quality 1K -Count 3 -ImageDelivery Inline | Save-SeedreamImage -Path $d)
        $files.Count | Should -Be 3
        # Named by the format that arrived, though there is no URL to name it.
        $files.Extension | Sort-Object -Unique | Should -Be '.jpeg'
        Get-SimCounter $sim 'image' | Should -Be 0
        foreach ($f in $files) {
            (Get-SeedreamImageInfo -LiteralPath $f.FullName).Source | Should -Be 'embedded'
        }
        # Nothing left in the folder but the images.
        @(Get-ChildItem -LiteralPath $d -Force).Count | Should -Be 3
    }

    It 'saves an inline image its own process never saved, from beside the journal, with Get-SeedreamTask -Unsaved' {
        # A job that received the images and ended before saving them (no Save-SeedreamImage): nothing can fetch them again.
        $job = Join-Path (New-TestFolder) 'job.ps1'
        Set-Content -LiteralPath $job -Value @'
Import-Module $env:SEEDREAM_TEST_MODULE
Connect-Seedream -Gateway ModelArk -ApiKey $env:SEEDREAM_API_KEY -BaseUri $env:SEEDREAM_BASE_URI
$null = New-SeedreamImage 'inline, then the job ended' -Model 4.0 -Quality 1K -Count 2 -ImageDelivery Inline
'@
        $run = Invoke-TestPowerShell -Arguments @('-File', $job) -TimeoutSec 120 -Environment @{
            SEEDREAM_API_KEY = $sim.ApiKey; SEEDREAM_BASE_URI = $sim.ModelArkUri; SEEDREAM_JOURNAL_PATH = $env:SEEDREAM_JOURNAL_PATH; SEEDREAM_TEST_MODULE = Get-TestManifestPath }
        $run.ExitCode | Should -Be 0 -Because $run.Err
        $inline = Join-Path (Split-Path $env:SEEDREAM_JOURNAL_PATH) 'journal.inline'
        @(Get-ChildItem -LiteralPath $inline).Count | Should -Be 2

        $d = New-TestFolder
        $files = @(Get-SeedreamTask -Unsaved | Save-SeedreamImage -Path $d)

        $files.Count | Should -Be 2
        $files.Extension | Sort-Object -Unique | Should -Be '.jpeg'
        Get-SimCounter $sim 'modelark.create' | Should -Be 1
        @(Get-ChildItem -LiteralPath $inline).Count | Should -Be 0
        @(Get-SeedreamTask -Unsaved).Count | Should -Be 0
    }

    It 'is refused before anything is paid for when the folder beside the journal cannot take the decoded images' {
        # A file where the inline folder goes: nothing can be decoded there, and an inline image has no other copy.
        Set-Content -LiteralPath (Join-Path (Split-Path $env:SEEDREAM_JOURNAL_PATH) 'journal.inline') -Value 'not a folder'
        $caught = $null
        try { New-SeedreamImage 'inline' -Model 4.0 -Quality 1K -ImageDelivery Inline -ErrorAction Stop } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.FileError*'
        $caught.Exception.Message | Should -BeLike '*Nothing was sent*-ImageDelivery Url*'
        Get-SimCounter $sim 'modelark.create' | Should -Be 0
    }

    It 'is refused before sending where the gateway does not offer it' {
        Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri
        $caught = $null
        try { New-SeedreamImage 'inline' -ImageDelivery Inline -ErrorAction Stop } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.InvalidParameter.ImageDelivery*'
        Get-SimCounter $sim 'evolink.create' | Should -Be 0
    }
}
